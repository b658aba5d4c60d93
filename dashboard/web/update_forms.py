"""The update panel's small forms beside the one-figure form: one party (new, or an existing one to rename,
recolour, give other names, or remove) and one event (a leader's term, which can end the current one, or a
general election). Their fields are read by updates/forms.py, through the same checks as a file's rows.
"""
from __future__ import annotations

from dash import Input, Output, dcc, html

from dashboard.core.dataset import Dataset, DatasetCache, Party
from dashboard.web import ids
from dashboard.web.fields import field

TEXT = {"type": "text", "debounce": False, "autoComplete": "off"}
NEW_PARTY = ""
# the party form's fields: updates/forms.py PARTY_FIELDS, by component
PARTY_INPUTS = {"name": ids.PARTY_FORM_NAME, "colour": ids.PARTY_FORM_COLOUR, "aliases": ids.PARTY_FORM_ALIASES,
                "short": ids.PARTY_FORM_SHORT, "source": ids.PARTY_FORM_SOURCE, "url": ids.PARTY_FORM_URL,
                "note": ids.PARTY_FORM_NOTE}
EVENT_INPUTS = {"kind": ids.EVENT_FORM_KIND, "party": ids.EVENT_FORM_PARTY, "name": ids.EVENT_FORM_NAME,
                "start": ids.EVENT_FORM_START, "end": ids.EVENT_FORM_END, "source": ids.EVENT_FORM_SOURCE,
                "url": ids.EVENT_FORM_URL, "note": ids.EVENT_FORM_NOTE}
EVENT_KIND_CHOICES = [{"label": "Leader's term", "value": "leader"},
                      {"label": "General election", "value": "general_election"}]
ENDS_CURRENT = "yes"


def party_choices(dataset: Dataset, new: bool = False) -> list[dict]:
    """The parties by name (the page never shows a slug); the party form starts with "A new party"."""
    return ([{"label": "A new party", "value": NEW_PARTY}] if new else []) + [
        {"label": p.name, "value": slug} for slug, p in dataset.parties.items()]


def party_fieldset(dataset: Dataset) -> html.Fieldset:
    return html.Fieldset([
        html.Legend("One party"),
        html.Div([
            field("Party", dcc.Dropdown(id=ids.PARTY_FORM_PARTY, options=party_choices(dataset, new=True), value=NEW_PARTY,
                                        clearable=False, searchable=False),
                  "A new party, or one to rename, recolour or remove."),
            field("Name", dcc.Input(id=ids.PARTY_FORM_NAME, placeholder="e.g. Your Party", **TEXT)),
            field("Colour", dcc.Input(id=ids.PARTY_FORM_COLOUR, placeholder="#rrggbb or a colour name", **TEXT),
                  "Empty: one is chosen that stays clear of every party's."),
            field("Other names", dcc.Input(id=ids.PARTY_FORM_ALIASES, placeholder="separated by ;", **TEXT),
                  "How files and links may write it."),
            field("Short name", dcc.Input(id=ids.PARTY_FORM_SHORT, placeholder="for labels on the chart", **TEXT)),
            field("Source", dcc.Input(id=ids.PARTY_FORM_SOURCE, placeholder="who shows it exists", **TEXT)),
            field("URL", dcc.Input(id=ids.PARTY_FORM_URL, placeholder="https://…", inputMode="url", **TEXT)),
            field("Note", dcc.Input(id=ids.PARTY_FORM_NOTE, placeholder="founded, merged, …", **TEXT)),
        ], className="form-grid"),
        html.Div([html.Button("Preview this party", id=ids.PREVIEW_PARTY, n_clicks=0, className="secondary"),
                  html.Button("Remove this party", id=ids.REMOVE_PARTY, n_clicks=0, className="secondary",
                              disabled=True)], className="buttons"),
    ])


def event_fieldset(dataset: Dataset) -> html.Fieldset:
    return html.Fieldset([
        html.Legend("One event"),
        html.Div([
            field("Kind", dcc.Dropdown(id=ids.EVENT_FORM_KIND, options=EVENT_KIND_CHOICES, value="leader",
                                       clearable=False, searchable=False)),
            field("Party", dcc.Dropdown(id=ids.EVENT_FORM_PARTY, options=party_choices(dataset), value="labour",
                                        clearable=True, searchable=False), "Empty for a general election."),
            field("Name", dcc.Input(id=ids.EVENT_FORM_NAME, placeholder="the leader, or the election", **TEXT)),
            field("From", dcc.Input(id=ids.EVENT_FORM_START, placeholder="17/07/2026 or 2026-07-17", **TEXT)),
            field("To", dcc.Input(id=ids.EVENT_FORM_END, placeholder="empty while in office", **TEXT)),
            field("Source", dcc.Input(id=ids.EVENT_FORM_SOURCE, placeholder="who reported the date", **TEXT)),
            field("URL", dcc.Input(id=ids.EVENT_FORM_URL, placeholder="https://…", inputMode="url", **TEXT)),
            field("Note", dcc.Input(id=ids.EVENT_FORM_NOTE, placeholder="acting, died in office, …", **TEXT)),
        ], className="form-grid"),
        dcc.Checklist(id=ids.EVENT_FORM_ENDS_CURRENT, value=[ENDS_CURRENT],
                      options=[{"label": "End the party's current leader's term on this day", "value": ENDS_CURRENT}]),
        html.Div(html.Button("Preview this event", id=ids.PREVIEW_EVENT, n_clicks=0, className="secondary"),
                 className="buttons"),
    ])


def party_fields(values: list) -> dict[str, object]:
    """The party form's values by field (slug: the party chosen, empty for a new one)."""
    slug, *rest = (list(values) + [None] * 8)[:8]
    return {"slug": slug or "", **dict(zip(PARTY_INPUTS, rest))}


def event_fields(values: list, ends_current: object) -> dict[str, object]:
    ticked = isinstance(ends_current, list) and ENDS_CURRENT in ends_current
    return {**dict(zip(EVENT_INPUTS, values)), "ends_current": ticked}


def party_form_values(party: Party | None) -> tuple[list[str], bool]:
    """The party form's boxes (as PARTY_INPUTS) for the party chosen, filled with what the data says of it,
    and whether Remove is off: a new party has empty boxes and nothing to remove."""
    if party is None:
        return [""] * len(PARTY_INPUTS), True
    return [party.name, party.colour, ";".join(party.aliases), party.short, party.source, party.url, party.note], False


def register(app, cache: DatasetCache) -> None:
    """Choosing an existing party fills the form with what the data says of it, to change what needs it."""

    @app.callback(*(Output(component, "value") for component in PARTY_INPUTS.values()),
                  Output(ids.REMOVE_PARTY, "disabled"),
                  Input(ids.PARTY_FORM_PARTY, "value"), prevent_initial_call=True)
    def fill_party(slug):
        values, remove_off = party_form_values(cache.get().parties.get(slug) if isinstance(slug, str) else None)
        return (*values, remove_off)

    @app.callback(Output(ids.PARTY_SELECT, "options"), Output(ids.UPDATE_PARTY, "options"),
                  Output(ids.PARTY_FORM_PARTY, "options"), Output(ids.EVENT_FORM_PARTY, "options"),
                  Output(ids.RELATED_TABLE_WRAP, "children", allow_duplicate=True),
                  Input(ids.DATA_VERSION, "data"), prevent_initial_call=True)
    def follow_parties(_version):
        """A party added, renamed or removed is in every picker at once, and related figures in their table."""
        from dashboard.web.counts_table import related_table
        from dashboard.web.layout import party_options

        dataset = cache.get()
        return (party_options(dataset), party_choices(dataset), party_choices(dataset, new=True),
                party_choices(dataset), related_table(dataset))

"""The words a message uses to tell the user what to do: the command line names its flags, the page the
fields and boxes it shows. Every message of an update that says how to fix something asks its Voice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Voice:
    """How to name a field the user fills in, and the choices the user makes, in one interface's words."""

    name: str
    fields: Mapping[str, str] = field(default_factory=dict)   # party, source, url, note, basis, sheet
    add_parties: str = ""     # how to choose to add the parties a file names but the data does not know
    overwrite: str = ""       # how to confirm changing rows already in the data
    names: bool = False       # parties by name ('Labour'), not by slug ('labour')

    def field(self, name: str) -> str:
        return self.fields.get(name, name)

    def give(self, name: str) -> str:
        """'--source' on the command line, 'fill in Source' in the page."""
        return f"give {self.field(name)}" if self.name == "cli" else f"fill in {self.field(name)}"


CLI = Voice("cli", {"party": "--party", "source": "--source", "url": "--url", "note": "--note", "basis": "--basis",
                    "sheet": "--sheet"},
            add_parties="run the import again with --add-parties", overwrite="--overwrite")
PAGE = Voice("page", {"party": "Party", "source": "Source", "url": "URL", "note": "Note", "basis": "Basis",
                      "sheet": "Sheet", "year": "Year", "members": "Members", "as_of": "As of", "name": "Name",
                      "colour": "Colour", "aliases": "Other names", "short": "Short name", "slug": "Party",
                      "kind": "Kind", "start": "From", "end": "To"},
             add_parties="tick “Add the new parties” and preview again", overwrite="tick the Overwrite box", names=True)

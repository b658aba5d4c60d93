"""The chart as a page of its own, made to sit in an `<iframe>` in someone else's article: the
dashboard's `/embed` and the static site's `index.html` are this one page.

It shows the chart first as an image: a WebP of the chart laid out for the frame's width, in the
reader's colour scheme (chart/screen_sizes.py: the chart's box snaps to the widest size that fits,
and a `<picture>` picks that size's image). That, some 70 KB, is all that a reader who only looks
ever loads. When the reader touches or hovers the chart (or without any image: at once), its
script loads plotly.js's basic bundle and the figure for that size, draws the same chart in the
image's place (same size, same drawing) and hovers work. It names the sources under the chart with
a "Get the data" link, and tells the page around it how tall it is (so the embed snippet can size
the frame); the box is sized before anything loads, so the height is right from the start.
"""
from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from dashboard.chart.alt_text import alt_text
from dashboard.chart.captions import chart_caveat, default_title
from dashboard.chart.dark_theme import DARK_BACKGROUND, DARK_INK, DARK_LINK
from dashboard.chart.plot_config import PLOT_CONFIG
from dashboard.chart.screen_sizes import EMBED_SIZES, ChartSize, box_css
from dashboard.chart.table_rows import safe_link
from dashboard.core.dataset import Dataset
from dashboard.core.marks import outside_years
from dashboard.core.selection import shown_counts
from dashboard.core.view import View
from dashboard.export.image import ExportSpec, filename_for

SCRIPT_NAME = "chart-page.js"
MESSAGE_KEY = "membership-chart"  # {MESSAGE_KEY: {"height": px}} is what the frame posts to its parent
MAX_SOURCES_NAMED = 3
EMBED_DEFAULT_HEIGHT = 660  # the frame's height before its page reports one (and without JavaScript)
DATA_GLOBAL = "membershipChartFigures"  # what a size's figure script adds itself to


def page_script() -> str:
    """The page's one script (images to live chart, dark mode, height reports): a file beside the
    page, so a Content Security Policy without inline scripts allows it."""
    return resources.files("dashboard.export").joinpath("assets", SCRIPT_NAME).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: data text can never close the element."""
    return (json.dumps(value, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


@dataclass(frozen=True)
class PageLinks:
    """Where the page's files are, relative to the page or absolute; None when there is none."""

    plotly_js: str
    script: str
    figures: Callable[[ChartSize], str]  # the script holding one size's figures (light and dark)
    image: Callable[[ChartSize, str, int], str] | None = None  # one size's image: theme, scale; None: no images
    data: str | None = None  # "Get the data": the figures shown, as CSV
    more: str | None = None  # a link to the chart's home (the dashboard with this view)
    more_label: str = "Open the interactive dashboard"


def source_names(dataset: Dataset, view: View) -> list[tuple[str, str | None]]:
    """The sources of the figures shown, most used first, each with a link when one is safe."""
    shown = shown_counts(dataset, view)
    counts = Counter(shown["source"])
    links: dict[str, str | None] = {}
    for source, url in zip(shown["source"], shown["url"]):
        links.setdefault(source, None)
        links[source] = links[source] or safe_link(url)
    return [(source, links[source]) for source, _ in counts.most_common()]


def sources_html(dataset: Dataset, view: View, data_link: str | None) -> str:
    """'Source: A; B and 3 more (in the data)': every name escaped, links only http(s)."""
    names = source_names(dataset, view)
    if not names:
        return "Source: no figures in this range."
    shown = []
    for name, url in names[:MAX_SOURCES_NAMED]:
        text = html.escape(name)
        shown.append(f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">{text}</a>' if url else text)
    text = ("Source: " if len(names) == 1 else "Sources: ") + "; ".join(shown)
    rest = len(names) - MAX_SOURCES_NAMED
    if rest > 0:
        more = f"{rest} more"
        if data_link:
            more = f'<a href="{html.escape(data_link)}" download>{more}</a>'
        text += f" and {more} (every figure's source is in the data)"
    return text + "."


def chart_title(dataset: Dataset, view: View) -> str:
    return view.title or default_title(dataset, view)


def plot_config(view: View, spec: ExportSpec) -> dict:
    """The house plot config (no Share, lasso or box select) with the camera at the export size."""
    stem = filename_for(view, "png").rsplit(".", 1)[0]
    return {**PLOT_CONFIG, "responsive": False,
            "toImageButtonOptions": {"format": "png", "width": spec.width, "height": spec.height, "scale": 2,
                                     "filename": stem}}


def figures_script(figures: dict[str, dict], size: ChartSize) -> str:
    """The script a page loads for one size's live chart: its figures (screen_figures: light and
    dark), added to window.DATA_GLOBAL under the size's width (a script, not JSON: a page opened
    from a file may load a script beside it, but not fetch one)."""
    return f"(window.{DATA_GLOBAL} = window.{DATA_GLOBAL} || {{}})[{size.width}] = {script_json(figures)};\n"


def picture(sizes: tuple[ChartSize, ...], url: Callable[[ChartSize, str, int], str], alt: str, dark: bool = True) -> str:
    """A `<picture>` of a chart's screen images: the image made for each size's screens (widest
    first; the narrowest is the `<img>` itself), at 1x and 2x the pixels for the screen's density,
    with the dark ones for readers in dark mode."""
    def srcset(size: ChartSize, theme: str) -> str:
        one, two = url(size, theme, 1), url(size, theme, 2)
        return html.escape(two if one == two else f"{one} 1x, {two} 2x")

    sources = []
    for size in reversed(sizes):
        for theme in (("dark", "light") if dark else ("light",)):
            media = " and ".join(m for m in (size.media, "(prefers-color-scheme: dark)" if theme == "dark" else "") if m)
            if media:
                sources.append(f'<source media="{html.escape(media)}" srcset="{srcset(size, theme)}" '
                               f'width="{size.width}" height="{size.height}">')
    smallest = sizes[0]
    return (f'<picture>{"".join(sources)}<img class="chart-image" src="{html.escape(url(smallest, "light", 1))}" '
            f'srcset="{srcset(smallest, "light")}" width="{smallest.width}" height="{smallest.height}" '
            f'alt="{html.escape(alt)}" fetchpriority="high"></picture>')


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>{title}</title>
{meta}<style>
  :root {{ --bg: #fff; --ink: #1f2328; --muted: #5b616b; --link: #1f5fbf; --rule: #e3e5e8; }}
  @media (prefers-color-scheme: dark) {{
    :root {{ --bg: {dark_bg}; --ink: {dark_ink}; --muted: #a9afb8; --link: {dark_link}; --rule: #2d3136; }}
  }}
  html, body {{ margin: 0; background: var(--bg); color: var(--ink);
    font-family: "Liberation Sans", Arial, Helvetica, sans-serif; }}
  main {{ max-width: {max_width}px; margin: 0 auto; }}
  figure {{ margin: 0; }}
  .chart-box {{ position: relative; margin: 0 auto; max-width: 100%; overflow: hidden; }}
{box_css}
  .chart-image {{ display: block; width: 100%; height: 100%; object-fit: contain; object-position: left top; }}
  #chart {{ position: absolute; inset: 0; }}
  .live .chart-image {{ visibility: hidden; }}
  .below {{ font-size: 13px; line-height: 1.45; padding: 6px 10px 10px; color: var(--muted); }}
  .below p {{ margin: 0 0 4px; }}
  .below .caveat {{ color: var(--ink); }}
  a {{ color: var(--link); }}
  .links a {{ margin-right: 14px; }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }}
  details {{ font-size: 13px; padding: 0 10px 16px; overflow-x: auto; }}
  summary {{ cursor: pointer; color: var(--link); }}
  table {{ border-collapse: collapse; margin-top: 8px; }}
  th, td {{ text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }}
  td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
<script src="{script}" defer></script>
</head>
<body>
<main>
<figure aria-labelledby="chart-title">
  <div class="chart-box" id="chart-box">{image}<div id="chart" role="img" aria-label="{title}" aria-describedby="alt"></div></div>
  {noscript}<figcaption class="below">
    <span id="chart-title" class="visually-hidden">{title}</span>
    <span id="alt" class="visually-hidden">{alt}</span>
    {notices}{caveat}<p class="source">{sources}</p>
    <p class="links">{links}</p>
  </figcaption>
</figure>
{extra}</main>
<script id="chart-config" type="application/json">{config}</script>
</body>
</html>
"""


def chart_page(dataset: Dataset, view: View, spec: ExportSpec, links: PageLinks, meta: str = "",
               extra: str = "") -> str:
    """The page's HTML for a resolved view. `meta` is ready-made <meta> tags (link previews);
    `extra` is HTML put under the chart (the static site's downloads and table)."""
    title = chart_title(dataset, view)
    alt = alt_text(dataset, view)
    link_items = []
    if links.data:
        link_items.append(f'<a href="{html.escape(links.data)}" download>Get the data</a>')
    if links.more:
        link_items.append(f'<a href="{html.escape(links.more)}" target="_blank">{html.escape(links.more_label)}</a>')
    image = picture(EMBED_SIZES, links.image, alt) if links.image else ""
    noscript = "" if links.image else f'<noscript><p class="below">{html.escape(alt)}</p></noscript>\n  '
    config = {"plotly": links.plotly_js, "figures": {str(s.width): links.figures(s) for s in EMBED_SIZES},
              "config": plot_config(view, spec), "message": MESSAGE_KEY, "global": DATA_GLOBAL}
    return PAGE.format(
        title=html.escape(title), meta=meta, alt=html.escape(alt), dark_bg=DARK_BACKGROUND, dark_ink=DARK_INK,
        dark_link=DARK_LINK, max_width=max(EMBED_SIZES[-1].width, spec.width), script=html.escape(links.script),
        box_css=box_css("  .chart-box", EMBED_SIZES), image=image, noscript=noscript,
        caveat=f'<p class="caveat">{html.escape(chart_caveat(dataset, view))}</p>' if chart_caveat(dataset, view) else "",
        notices="".join(f'<p class="notice">{html.escape(text)}</p>'
                        for text in outside_years(view.marks, view.highlights, view.start or 0, view.end or 0)),
        sources=sources_html(dataset, view, links.data), links=" ".join(link_items), extra=extra,
        config=script_json(config))


SNIPPET_SCRIPT = (
    "(function(){if(window.membershipChartFrames)return;window.membershipChartFrames=1;"
    "window.addEventListener('message',function(e){var d=e.data&&e.data['" + MESSAGE_KEY + "'];"
    "if(!d||typeof d.height!=='number')return;"
    "var f=document.querySelectorAll('iframe[data-membership-chart]');"
    "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source){"
    "f[i].style.height=Math.round(Math.min(Math.max(d.height,100),5000))+'px';}}});})();")


def embed_snippet(url: str, title: str) -> str:
    """The code to paste into a blog post: a frame as wide as the column, and a few lines that set
    its height to the chart page's own whenever the page reports it (by postMessage)."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" data-membership-chart '
            f'style="width:100%;height:{EMBED_DEFAULT_HEIGHT}px;border:0;display:block" '
            f'scrolling="no" loading="lazy"></iframe>\n<script>{SNIPPET_SCRIPT}</script>')

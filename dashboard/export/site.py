"""A static, self-contained page of the chart: for very many readers, on any static host or CDN.

The dashboard is the editing tool and runs Python for every reader; this page is plain files
(HTML, plotly.js beside it, PNG, SVG, alt text, CSV) that cost nothing per reader and need no
network beyond the host that serves them.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import plotly.io as pio
import plotly.offline

from dashboard.chart.alt_text import alt_text
from dashboard.chart.figure import build_figure, default_title
from dashboard.chart.table_rows import count_headings, count_rows, number_columns
from dashboard.core.dataset import Dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import View
from dashboard.export.data_download import safe_csv, view_figures
from dashboard.export.image import ExportSpec, export_image, filename_for
from dashboard.export.warm_browser import BrowserMissing, RenderFailed

PLOTLY_JS = "plotly.min.js"
LAYOUT_WIDTHS = (400, 640, 900, 1200)  # the page picks the layout made for the width it has


@dataclass
class SiteResult:
    """What was written, and what could not be (a message per problem, e.g. no browser for PNGs)."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def data_csv(dataset: Dataset, view: View) -> str:
    """The figures the chart shows, each with its date and source, as CSV text (the page's download too)."""
    return safe_csv(view_figures(dataset, view)).decode("utf-8")


def counts_table(dataset: Dataset, view: View) -> str:
    """The shown figures as an HTML table, every cell escaped: the hover text's sources, readable
    without a mouse and by screen readers. The same rows as the page's table."""
    headings = count_headings(view)
    numbers, source = number_columns(headings), headings.index("Source")
    rows = []
    for row in count_rows(dataset, shown_counts(dataset, view), view):
        cells = [html.escape(text) for text in row.cells()]
        if row.link:
            cells[source] = f'<a href="{html.escape(row.link)}" rel="nofollow noopener">{cells[source]}</a>'
        rows.append("<tr>" + "".join(f'<td class="n">{c}</td>' if i in numbers else f"<td>{c}</td>"
                                     for i, c in enumerate(cells)) + "</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in headings)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def layout_height(width: int) -> int:
    """Taller than 16:9 when narrow, so the title and source line leave room for the chart."""
    return max(round(width * 9 / 16), 560)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: data text can never close the element."""
    return (json.dumps(value, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def iframe_snippet(url: str, width: int, height: int, title: str) -> str:
    """The embed code for a blog post; the page resizes to the frame's width."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" '
            f'style="max-width:{width}px;aspect-ratio:{width}/{height};min-height:560px;border:0" '
            f'loading="lazy"></iframe>')


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  html, body {{ margin: 0; background: #fff; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1f2328; }}
  main {{ max-width: {max_width}px; margin: 0 auto; }}
  #chart {{ width: 100%; }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
  nav {{ font-size: 13px; padding: 4px 10px 10px; color: #5b616b; }}
  nav a {{ color: #1f5fbf; margin-right: 12px; }}
  details {{ font-size: 13px; padding: 0 10px 16px; overflow-x: auto; }}
  summary {{ cursor: pointer; color: #1f5fbf; }}
  table {{ border-collapse: collapse; margin-top: 8px; }}
  th, td {{ text-align: left; padding: 3px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }}
  td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
<script src="{plotly_js}"></script>
</head>
<body>
<main>
<figure style="margin:0" aria-describedby="alt">
  <div id="chart" role="img" aria-label="{title}"></div>
  <figcaption id="alt" class="visually-hidden">{alt}</figcaption>
  <noscript>{noscript}</noscript>
</figure>
<nav>Download: {links}</nav>
<details><summary>The figures and their sources</summary>{table}</details>
</main>
<script id="charts-by-width" type="application/json">{charts}</script>
<script>
(function () {{
  var charts = JSON.parse(document.getElementById("charts-by-width").textContent);
  var widths = Object.keys(charts).map(Number).sort(function (a, b) {{ return a - b; }});
  var chart = document.getElementById("chart");
  function draw() {{
    var have = chart.clientWidth || window.innerWidth;
    var pick = widths[0];
    widths.forEach(function (w) {{ if (w <= have) pick = w; }});
    var fig = charts[pick];
    var layout = Object.assign({{}}, fig.layout, {{width: have, height: fig.layout.height}});
    Plotly.react(chart, fig.data, layout, {{displaylogo: false, responsive: false,
      toImageButtonOptions: {{format: "png", width: {width}, height: {height}, scale: 2, filename: "{stem}"}}}});
  }}
  draw();
  var timer;
  window.addEventListener("resize", function () {{ clearTimeout(timer); timer = setTimeout(draw, 150); }});
}})();
</script>
</body>
</html>
"""


def page_html(dataset: Dataset, view: View, spec: ExportSpec, files: dict[str, str]) -> str:
    """The interactive page: one figure per layout width, chosen in the browser by the width it has.

    `files` maps png/svg/csv/txt to the names written beside the page (absent when not written).
    """
    charts = {}
    for width in LAYOUT_WIDTHS:
        figure = build_figure(dataset, view, width, layout_height(width))
        charts[str(width)] = json.loads(pio.to_json(figure, validate=False))
    stem = Path(filename_for(view, "png")).stem
    labels = {"png": "PNG", "svg": "SVG", "csv": "data (CSV)", "txt": "alt text"}
    links = " ".join(f'<a href="{html.escape(files[key])}" download>{label}</a>'
                     for key, label in labels.items() if key in files)
    title = view.title or default_title(dataset, view)
    alt = html.escape(alt_text(dataset, view))
    noscript = (f'<img src="{html.escape(files["png"])}" alt="{alt}" style="width:100%;height:auto">'
                if "png" in files else alt)
    return PAGE.format(title=html.escape(title), alt=alt,
                       max_width=max(LAYOUT_WIDTHS[-1], spec.width), plotly_js=PLOTLY_JS,
                       noscript=noscript, links=links, charts=_script_json(charts),
                       table=counts_table(dataset, view),
                       width=spec.width, height=spec.height, stem=_script_json(stem)[1:-1])


def build_site(dataset: Dataset, view: View, out_dir: Path, spec: ExportSpec, credit: str = "",
               base_url: str = "") -> SiteResult:
    """Write the page and its files into `out_dir` (created if needed) for a resolved view.

    Without a browser the PNG and SVG are left out and the result says how to install one;
    everything else is still written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = SiteResult(out_dir)
    stem = Path(filename_for(view, "png")).stem
    files = {"png": f"{stem}.png", "svg": f"{stem}.svg", "csv": f"{stem}.csv", "txt": f"{stem}.txt"}

    def write(name: str, data: str | bytes) -> None:
        path = out_dir / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        result.files.append(path)

    write(PLOTLY_JS, plotly.offline.get_plotlyjs())
    write(files["csv"], data_csv(dataset, view))
    write(files["txt"], alt_text(dataset, view) + "\n")
    for fmt in ("png", "svg"):
        try:
            image_spec = ExportSpec(spec.width, spec.height, spec.scale if fmt == "png" else 1, fmt)
            write(files[fmt], export_image(dataset, view, image_spec, credit))
        except (BrowserMissing, RenderFailed) as exc:
            result.problems.append(f"{files[fmt]} not written: {exc}")
    written = {key: name for key, name in files.items() if out_dir / name in result.files}
    write("index.html", page_html(dataset, view, spec, written))
    url = (base_url.rstrip("/") + "/index.html") if base_url else "https://example.org/PATH/index.html"
    title = view.title or default_title(dataset, view)
    write("embed.html", iframe_snippet(url, spec.width, spec.height, title) + "\n")
    return result

"""A static, self-contained page of the chart: for very many readers, on any static host or CDN.

The dashboard is the editing tool and runs Python for every reader; this folder is plain files
(the chart page, plotly.js and its script beside it, PNG, SVG, alt text, CSV, XLSX, metadata.json,
an embed snippet) that cost nothing per reader and need no network beyond the host that serves them.
"""
from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.chart import plotly_bundle
from dashboard.chart.alt_text import alt_text
from dashboard.chart.screen_sizes import EMBED_SIZES, ChartSize
from dashboard.chart.table_rows import count_headings, count_rows, number_columns
from dashboard.core.dataset import Dataset, last_changed
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, view_to_dict, view_to_query
from dashboard.export.chart_page import (
    SCRIPT_NAME,
    PageLinks,
    chart_page,
    chart_title,
    embed_snippet,
    figures_script,
    page_script,
    source_names,
)
from dashboard.export.data_download import figures_csv, figures_xlsx, view_about
from dashboard.export.image import ExportSpec, export_image, filename_for
from dashboard.export.image_url import PREVIEW_SIZE
from dashboard.export.previews import preview_tags
from dashboard.export.screen_image import FORMAT, screen_figures, screen_image
from dashboard.export.warm_browser import BrowserMissing, RenderFailed

PLOTLY_JS = "plotly.min.js"
PAGE_NAME = "index.html"


@dataclass
class SiteResult:
    """What was written, what could not be (a message per problem, e.g. no browser for PNGs), and
    notes the user should read (which links stay relative without --base-url)."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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


def downloads_html(files: dict[str, str]) -> str:
    labels = {"png": "PNG", "svg": "SVG", "csv": "data (CSV)", "xlsx": "data (XLSX)", "txt": "alt text",
              "metadata": "metadata (JSON)"}
    links = " ".join(f'<a href="{html.escape(files[key])}" download>{label}</a>'
                     for key, label in labels.items() if key in files)
    return f'<nav class="below links">Download: {links}</nav>\n'


SCREEN_SCALE = 2  # one image per size and theme: sharp on phones, and not twice the files and drawing time


def screen_image_name(size: ChartSize, theme: str, _scale: int = SCREEN_SCALE) -> str:
    return f"chart-{size.width}{'-dark' if theme == 'dark' else ''}.{FORMAT}"


def figures_name(size: ChartSize) -> str:
    return f"chart-{size.width}.js"


def page_html(dataset: Dataset, view: View, spec: ExportSpec, files: dict[str, str], base_url: str = "",
              images: bool = True) -> str:
    """The interactive page: the chart page with the downloads and the table of figures under it.

    `files` maps png/svg/csv/xlsx/txt/metadata/preview to the names written beside the page (absent
    when not written); link-preview URLs are absolute only with `base_url`. `images`: the chart's
    screen images (screen_image_name) were written beside it.
    """
    base = base_url.rstrip("/")
    meta = preview_tags(dataset, view, f"{base}/" if base else None,
                        f"{base}/{files['preview']}" if base and "preview" in files else None)
    extra = (downloads_html(files) +
             f"<details><summary>The figures and their sources</summary>{counts_table(dataset, view)}</details>\n")
    links = PageLinks(plotly_js=PLOTLY_JS, script=SCRIPT_NAME, figures=figures_name,
                      image=screen_image_name if images else None, data=files.get("csv"))
    return chart_page(dataset, view, spec, links, meta=meta, extra=extra)


def write_screens(dataset: Dataset, view: View, out_dir: Path, result: SiteResult) -> bool:
    """The page's live chart for each width (a script) and its image in light and dark: what the page
    shows first. Without a browser, no image (the page then draws the live chart at once): False."""
    images: list[tuple[Path, bytes]] = []
    drawn = True
    for size in EMBED_SIZES:
        figures = screen_figures(dataset, view, size)
        path = out_dir / figures_name(size)
        path.write_text(figures_script(figures, size), encoding="utf-8")
        result.files.append(path)
        for theme, figure in figures.items():
            if not drawn:
                break
            try:
                images.append((out_dir / screen_image_name(size, theme), screen_image(figure, size, SCREEN_SCALE)))
            except (BrowserMissing, RenderFailed) as exc:
                result.problems.append(f"the chart's images (chart-*.{FORMAT}) not written: {exc}")
                drawn = False
    if drawn:  # all or none: a page with some of its images would show some readers none
        for path, image in images:
            path.write_bytes(image)
            result.files.append(path)
    return drawn


def metadata(dataset: Dataset, view: View, files: dict[str, str], base_url: str, licence: str,
             generated: dt.datetime | None = None) -> dict:
    """metadata.json: what the folder shows, from which data, under which licence, made when."""
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    shown = shown_counts(dataset, view)
    per_source = shown["source"].value_counts()
    return {
        "title": chart_title(dataset, view),
        "view": {"query": view_to_query(view), **view_to_dict(view)},
        "data_version": dataset.version,
        "figures": int(len(shown)),
        "sources": [{"name": name, "url": url, "figures": int(per_source[name])}
                    for name, url in source_names(dataset, view)],
        "licence": licence or None,
        "generated": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "base_url": base_url.rstrip("/") or None,
        "alt_text": alt_text(dataset, view),
        "files": files,
    }


def build_site(dataset: Dataset, view: View, out_dir: Path, spec: ExportSpec, credit: str = "",
               base_url: str = "", licence: str = "") -> SiteResult:
    """Write the page and its files into `out_dir` (created if needed) for a resolved view.

    Without a browser the PNG and SVG are left out and the result says how to install one;
    everything else is still written. Without `base_url` no link is made absolute (no made-up
    host): the notes say which links stay relative.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = SiteResult(out_dir)
    base = base_url.rstrip("/")
    stem = Path(filename_for(view, "png")).stem
    width, height = PREVIEW_SIZE
    names = {"png": f"{stem}.png", "svg": f"{stem}.svg", "csv": f"{stem}.csv", "xlsx": f"{stem}.xlsx",
             "txt": f"{stem}.txt", "preview": f"{stem}-{width}x{height}.png"}
    files: dict[str, str] = {"page": PAGE_NAME}

    def write(key: str, name: str, data: str | bytes) -> None:
        path = out_dir / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        result.files.append(path)
        files[key] = name

    write("plotly_js", PLOTLY_JS, plotly_bundle.bundle_bytes())  # the basic plotly.js, as the page: a quarter of the full one
    write("script", SCRIPT_NAME, page_script())
    write("csv", names["csv"], figures_csv(dataset, view))
    title = chart_title(dataset, view)
    about = view_about(dataset, view, view_to_query(view) or "(the default view)", last_changed(dataset))
    about["licence"] = licence or "(not stated)"
    write("xlsx", names["xlsx"], figures_xlsx(dataset, view, about))
    write("txt", names["txt"], alt_text(dataset, view) + "\n")
    images = (("png", ExportSpec(spec.width, spec.height, spec.scale, "png"), credit),
              ("svg", ExportSpec(spec.width, spec.height, 1, "svg"), credit),
              ("preview", ExportSpec(width, height, 1, "png"), ""))
    for key, image_spec, image_credit in images:
        try:
            write(key, names[key], export_image(dataset, view, image_spec, image_credit))
        except (BrowserMissing, RenderFailed) as exc:
            result.problems.append(f"{names[key]} not written: {exc}")
    screens = write_screens(dataset, view, out_dir, result)
    files["metadata"] = "metadata.json"
    files["embed"] = "embed.html"
    write("page", PAGE_NAME, page_html(dataset, view, spec, files, base, images=screens))
    page_url = f"{base}/{PAGE_NAME}" if base else PAGE_NAME
    write("embed", "embed.html", embed_snippet(page_url, title) + "\n")
    write("metadata", "metadata.json",
          json.dumps(metadata(dataset, view, files, base, licence), indent=2, ensure_ascii=False) + "\n")
    if not base:
        result.notes += [
            f"No --base-url: embed.html's frame points at the relative address '{PAGE_NAME}', which works "
            "only on a page in the same folder; the downloads and scripts in index.html are relative too "
            "(they work wherever the folder is served).",
            "No --base-url: index.html has no og:url or og:image (link previews need absolute addresses), "
            "and metadata.json has base_url null.",
            "Give --base-url https://... (where the folder will be served) to make these absolute.",
        ]
    return result

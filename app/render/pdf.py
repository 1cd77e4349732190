"""PDF of an OfficialDocument through WeasyPrint, laid out after Decree 30/2020/NĐ-CP."""
from __future__ import annotations

import dataclasses
import unicodedata
from functools import lru_cache
from pathlib import Path

import jinja2

from app.render import layout, model
from app.render.typeface import font_face_css

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _nfc(value: object) -> object:
    # Text typed on some keyboards arrives decomposed (NFD); shaping precomposed
    # letters keeps the diacritics in place and the PDF text searchable.
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_nfc,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["table"] = lambda block: isinstance(block, model.Table)
    return env


def render_html(doc: model.OfficialDocument, continuation: list | None = None) -> str:
    """The HTML WeasyPrint lays out (useful to inspect a layout in a browser);
    `continuation`: only these blocks, as a later part of the document's last phụ lục."""
    extra = {} if continuation is None else {"continuation": continuation}
    return _environment().get_template("official.html").render(
        doc=doc,
        national_title=model.NATIONAL_TITLE,
        motto=model.MOTTO,
        recipient_label=model.RECIPIENT_LABEL,
        cc_label=model.CC_LABEL,
        fit_widths=layout.fit_widths,
        portrait_width=layout.PORTRAIT_WIDTH_PT,
        landscape_width=layout.LANDSCAPE_WIDTH_PT,
        **extra,
    )


def stylesheet() -> str:
    """The shipped fonts' @font-face rules followed by the layout."""
    layout = (TEMPLATES / "official.css").read_text(encoding="utf-8")
    return font_face_css() + "\n" + layout


# WeasyPrint keeps the whole layout of a document until it is written: ~0.2 MiB a row of
# a report's Phụ lục II. A longer table is laid out PART_ROWS rows at a time, each part
# on its own, the page numbers carried on, and the parts joined (issue 10: a worker's
# peak is then one part's, whatever the length).
PART_ROWS = 150


def _split(doc: model.OfficialDocument):
    """(first part, [later parts' blocks]) when the last phụ lục's table is long, else None."""
    if not doc.appendices or not doc.appendices[-1].landscape:
        return None
    appendix = doc.appendices[-1]
    at = next((i for i, b in enumerate(appendix.body) if isinstance(b, model.Table) and len(b.rows) > PART_ROWS),
              None)
    if at is None:
        return None
    table, after = appendix.body[at], appendix.body[at + 1:]
    chunks = [dataclasses.replace(table, rows=table.rows[i:i + PART_ROWS], title=None)
              for i in range(PART_ROWS, len(table.rows), PART_ROWS)]
    first = dataclasses.replace(doc, appendices=[*doc.appendices[:-1], dataclasses.replace(
        appendix, body=[*appendix.body[:at], dataclasses.replace(table, rows=table.rows[:PART_ROWS])])])
    return first, [[chunk] for chunk in chunks[:-1]] + [[chunks[-1], *after]]


def render_pdf(doc: model.OfficialDocument) -> bytes:
    # WeasyPrint is imported here so that importing this module stays cheap for
    # callers that only need the DOCX.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(string=stylesheet(), font_config=font_config, base_url=str(TEMPLATES))
    parts = _split(doc)
    if parts is None:
        html = HTML(string=render_html(doc), base_url=str(TEMPLATES))
        return html.write_pdf(stylesheets=[css], font_config=font_config)
    import io

    from pypdf import PdfReader, PdfWriter

    first, later = parts
    writer = PdfWriter()
    opening = PdfReader(io.BytesIO(HTML(string=render_html(first), base_url=str(TEMPLATES))
                                   .write_pdf(stylesheets=[css], font_config=font_config)))
    writer.append(opening)
    if opening.metadata:  # the title and author the whole document carries
        writer.add_metadata({key: value for key, value in opening.metadata.items()})
    for blocks in later:
        # This part's first page is numbered on from the pages before (official.css hides
        # the number of a document's first page: here it is not the document's first).
        numbering = CSS(string=f"@page :first {{ counter-reset: page {len(writer.pages) + 1}; "
                               "@top-center { content: counter(page); } }", font_config=font_config)
        data = HTML(string=render_html(doc, continuation=blocks), base_url=str(TEMPLATES)).write_pdf(
            stylesheets=[css, numbering], font_config=font_config)
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf_apart(doc: model.OfficialDocument, timeout: float = 120) -> bytes:
    """render_pdf in a process of its own (app.render.apart): WeasyPrint and the layout
    (~30 MiB to load, ~20–40 MiB a part) never grow the web worker (issue 10)."""
    from app.render.apart import render_apart

    return render_apart("pdf", doc, timeout)

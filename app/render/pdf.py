"""PDF of an OfficialDocument through WeasyPrint, laid out after Decree 30/2020/NĐ-CP."""
from __future__ import annotations

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


def render_html(doc: model.OfficialDocument) -> str:
    """The HTML WeasyPrint lays out (useful to inspect a layout in a browser)."""
    return _environment().get_template("official.html").render(
        doc=doc,
        national_title=model.NATIONAL_TITLE,
        motto=model.MOTTO,
        recipient_label=model.RECIPIENT_LABEL,
        cc_label=model.CC_LABEL,
        fit_widths=layout.fit_widths,
        portrait_width=layout.PORTRAIT_WIDTH_PT,
        landscape_width=layout.LANDSCAPE_WIDTH_PT,
    )


def stylesheet() -> str:
    """The shipped fonts' @font-face rules followed by the layout."""
    layout = (TEMPLATES / "official.css").read_text(encoding="utf-8")
    return font_face_css() + "\n" + layout


def render_pdf(doc: model.OfficialDocument) -> bytes:
    # WeasyPrint is imported here so that importing this module stays cheap for
    # callers that only need the DOCX.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    html = HTML(string=render_html(doc), base_url=str(TEMPLATES))
    css = CSS(string=stylesheet(), font_config=font_config, base_url=str(TEMPLATES))
    return html.write_pdf(stylesheets=[css], font_config=font_config)

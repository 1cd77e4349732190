"""The typeface shipped with the renderer: Liberation Serif 2.1.5 (SIL OFL, see fonts/LICENSE).

Metric-compatible with Times New Roman and, unlike Liberation Serif 1.x, complete for
Vietnamese. The PDF embeds these files, never a system font, so a document renders the
same on every machine; the DOCX names "Times New Roman", the font offices edit in.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PDF_FAMILY = "Times VN"
DOCX_FAMILY = "Times New Roman"

# (bold, italic) -> file
FONT_FILES = {
    (False, False): FONT_DIR / "LiberationSerif-Regular.ttf",
    (True, False): FONT_DIR / "LiberationSerif-Bold.ttf",
    (False, True): FONT_DIR / "LiberationSerif-Italic.ttf",
    (True, True): FONT_DIR / "LiberationSerif-BoldItalic.ttf",
}


def font_face_css() -> str:
    """@font-face rules pointing at the shipped files by absolute file:// URL."""
    rules = []
    for (bold, italic), path in FONT_FILES.items():
        rules.append(
            "@font-face {\n"
            f'  font-family: "{PDF_FAMILY}";\n'
            f'  src: url("{path.as_uri()}") format("truetype");\n'
            f"  font-weight: {'bold' if bold else 'normal'};\n"
            f"  font-style: {'italic' if italic else 'normal'};\n"
            "}"
        )
    return "\n".join(rules)


@lru_cache(maxsize=4)
def _advances(bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency

    font = TTFont(FONT_FILES[(bold, italic)], lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return advances, font["head"].unitsPerEm


def text_width_pt(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of text, without kerning (as Word lays it out by default)."""
    advances, units = _advances(bold, italic)
    fallback = advances.get(ord("n"), units // 2)
    return sum(advances.get(ord(c), fallback) for c in text) * size_pt / units

"""Column widths that never break a date, a number or a word.

A table's `widths` say how the room is shared; but a share that leaves a column
narrower than its longest word makes the renderer break inside it ("04/12/2 026",
"S T T"). `fit_widths` keeps every column at least as wide as its widest
unbreakable token (measured in the shipped typeface) and shares the rest of the
line as asked. Both renderers call it, so the PDF and the DOCX agree.
"""
from __future__ import annotations

from app.render.model import Table
from app.render.typeface import text_width_pt

MM = 72 / 25.4
# A4 minus the margins (Decree 30/2020/NĐ-CP, Phụ lục I), in points.
PORTRAIT_WIDTH_PT = (210 - 30 - 15) * MM
LANDSCAPE_WIDTH_PT = (297 - 20 - 20) * MM
CELL_SIZE_PT = 12
# Cell padding (3 pt a side), the borders, and a little slack for kerning.
CELL_EXTRA_PT = 3 + 3 + 0.75 + 2.25
# One token wider than this share of the line (a long URL) may break.
MAX_SHARE = 0.4


def _widest(texts, size: float, bold: bool) -> float:
    words = {word for text in texts for word in str(text).split()}
    return max((text_width_pt(word, size, bold=bold) for word in words), default=0.0)


def minimum_shares(table: Table, available_pt: float, size_pt: float = CELL_SIZE_PT) -> list[float]:
    """Each column's narrowest share of the line that holds its widest token."""
    shares = []
    for index, column in enumerate(table.columns):
        need = max(_widest([column], size_pt, bold=True),
                   _widest((row[index] for row in table.rows), size_pt, bold=False))
        shares.append(min((need + CELL_EXTRA_PT) / available_pt, MAX_SHARE))
    return shares


def fit_widths(table: Table, available_pt: float, size_pt: float = CELL_SIZE_PT) -> list[float]:
    """Fractions of the line (adding up to 1): the table's own shares, except that no
    column gets less than its minimum; the columns above their minimum give up the room."""
    wanted = table.relative_widths()
    minimum = minimum_shares(table, available_pt, size_pt)
    pinned: set[int] = set()
    while True:
        free = 1.0 - sum(minimum[i] for i in pinned)
        asked = sum(wanted[i] for i in range(len(wanted)) if i not in pinned)
        if free <= 0 or asked <= 0:
            total = sum(minimum)  # cannot fit: the minimums, scaled to the line
            return [m / total for m in minimum]
        scale = free / asked
        short = {i for i in range(len(wanted)) if i not in pinned and wanted[i] * scale < minimum[i]}
        if not short:
            return [minimum[i] if i in pinned else wanted[i] * scale for i in range(len(wanted))]
        pinned |= short

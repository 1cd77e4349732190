"""Every workbook the app writes stores text as text (issue 8, finding 11): a task's
content or result beginning with `=`, `+`, `-` or `@` must never become a live formula
in an official's spreadsheet, and a control character a user pasted must not stop
the file from being written."""
from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def text_row(sheet, values) -> list:
    """`values` ready for `sheet.append`: strings as text cells, other values as they are."""
    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # openpyxl would have made "=…" a formula
            row.append(cell)
        else:
            row.append(value)
    return row

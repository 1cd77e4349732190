"""A plain workbook written straight as its XML, row by row, into a temporary file (issue 10):
a periodic report's Phụ lục II of 100,000 rows in seconds and a few MiB, where openpyxl's
write-only sheet spends ~0.4 ms a row building a cell object per value.

Only what the report files need: sheets of text and numbers, a bold (optionally wrapped)
heading style, column widths. Every string is an inline string (`t="inlineStr"`), never a
formula, whatever it begins with (app.services.xlsx: issue 8, finding 11), and the control
characters XML cannot hold are dropped, as openpyxl does."""
from __future__ import annotations

import re
import tempfile
import zipfile
from xml.sax.saxutils import escape

PLAIN, HEADING, BOLD = 0, 1, 2  # the styles: cellXfs 0, 1 (bold, wrapped, centred vertically), 2 (bold)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
    '</workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheets}'
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>')
_SHEET_REL = ('<Relationship Id="rId{n}" '
              'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet{n}.xml"/>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment wrapText="1" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class _Sheet:
    def __init__(self, out):
        self.out, self.row, self.columns, self.pending = out, 0, [], []

    def flush(self) -> None:
        self.out.write("".join(self.pending).encode("utf-8"))
        self.pending = []

    def append(self, values, style: int = PLAIN) -> None:
        self.row += 1
        n, parts = self.row, [f'<row r="{self.row}">']
        while len(self.columns) < len(values):
            self.columns.append(_column(len(self.columns)))
        s = f' s="{style}"' if style else ""
        for column, value in zip(self.columns, values):
            if value is None:
                if style:
                    parts.append(f'<c r="{column}{n}"{s}/>')
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                text = escape(_ILLEGAL.sub("", str(value)))
                parts.append(f'<c r="{column}{n}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
            else:
                parts.append(f'<c r="{column}{n}"{s}><v>{value}</v></c>')
        parts.append("</row>")
        self.pending.append("".join(parts))
        if len(self.pending) >= 500:
            self.flush()


def workbook(sheets) -> "tempfile._TemporaryFileWrapper":
    """`sheets`: (name, {column letter: width}, fill) in order, `fill(sheet)` appending the
    rows (`sheet.append(values, style)`). The workbook as an open temporary file at its start
    (deleted when closed)."""
    sheets = list(sheets)
    out = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
            numbers = range(1, len(sheets) + 1)
            book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)))
            book.writestr("_rels/.rels", _ROOT_RELS)
            book.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
                f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (name, _widths, _fill) in zip(numbers, sheets))))
            book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(
                sheets="".join(_SHEET_REL.format(n=n) for n in numbers)))
            book.writestr("xl/styles.xml", _STYLES)
            for n, (_name, widths, fill) in zip(numbers, sheets):
                with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                    part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                    if widths:
                        part.write(("<cols>" + "".join(
                            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                            for i, w in sorted((_index(c), w) for c, w in widths.items())) + "</cols>").encode())
                    part.write(b"<sheetData>")
                    sheet = _Sheet(part)
                    fill(sheet)
                    sheet.flush()
                    part.write(b"</sheetData></worksheet>")
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _index(column: str) -> int:
    n = 0
    for letter in column:
        n = n * 26 + ord(letter) - 64
    return n

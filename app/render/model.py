"""A Vietnamese administrative document as plain data (Decree 30/2020/NĐ-CP, Phụ lục I).

The PDF and DOCX renderers both read the texts they print from here, so a rule of
the Decree (leading zeros in the date, punctuation of "Kính gửi", the archive line
of "Nơi nhận") is decided once. Nothing here knows about Flask, a database or a
rendering library.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENT_LABEL = "Kính gửi:"
CC_LABEL = "Nơi nhận:"
DEFAULT_ARCHIVE = "Lưu: VT, TH."
ALIGNMENTS = {"left", "center", "right"}

# Room left for the number and the date that are written in when the document is
# registered (a draft has neither).
_NUMBER_BLANK = " " * 8
_DATE_BLANK = " " * 6


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified, first line indented."""

    text: str


@dataclass(frozen=True)
class Table:
    """A bordered table whose header row repeats on every page.

    `widths` are relative (e.g. [1, 4, 8, 2, 2]); missing means equal columns.
    `align` gives each column's alignment ("left", "center", "right"); the header
    row is always bold and centred.
    """

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    title: str | None = None
    align: list[str] | None = None

    def __post_init__(self) -> None:
        if self.widths is not None and len(self.widths) != len(self.columns):
            raise ValueError("Table.widths needs one value per column")
        if self.align is not None:
            if len(self.align) != len(self.columns):
                raise ValueError("Table.align needs one value per column")
            if set(self.align) - ALIGNMENTS:
                raise ValueError(f"Table.align values are {sorted(ALIGNMENTS)}")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("every Table row needs one cell per column")

    def relative_widths(self) -> list[float]:
        """Column widths as fractions that add up to 1."""
        widths = self.widths or [1.0] * len(self.columns)
        total = float(sum(widths))
        return [w / total for w in widths]

    def alignments(self) -> list[str]:
        return list(self.align or ["left"] * len(self.columns))


Block = Paragraph | Table


@dataclass
class Appendix:
    """A phụ lục after the signature, on its own pages (landscape A4 when its table is wide).

    Its heading is centred, as the forms of the Quy chế print it: the label ("Phụ lục II"),
    the title in capitals ("DANH MỤC"), the subtitle, then in italics which document it
    comes with ("(Kèm theo Báo cáo số 12/BC-STC ngày 16/12/2026 của Sở Tài chính)").
    """

    label: str
    title: str
    subtitle: str | None = None
    reference: str | None = None
    body: list[Block] = field(default_factory=list)
    landscape: bool = True

    def heading_lines(self) -> list[tuple[str, str]]:
        """(kind, text) in order: kind is "label", "title", "subtitle" or "reference"."""
        lines = [("label", self.label), ("title", self.title.upper())]
        if self.subtitle:
            lines.append(("subtitle", self.subtitle))
        if self.reference:
            lines.append(("reference", self.reference))
        return lines


def attachment_reference(doc_type: str, number: str | None, number_suffix: str, issued_on: dt.date | None,
                         issuer: str, year: int | None = None) -> str:
    """"(Kèm theo Báo cáo số 12/BC-STC ngày 16/12/2026 của Sở Tài chính)"; while the
    document has no number and date yet, blanks to write them in, as in the form
    ("(Kèm theo Báo cáo số ……/BC-STC ngày ……/……/2026 của Sở Tài chính)")."""
    number = (number or "").strip()
    if not number:
        number = "……" + number_suffix
    elif number_suffix and "/" not in number:
        number += number_suffix
    when = issued_on.strftime("%d/%m/%Y") if issued_on else f"……/……/{year or ''}"
    return f"(Kèm theo {doc_type} số {number} ngày {when} của {issuer})"


def date_line(place: str, day: dt.date) -> str:
    """"Khánh Hòa, ngày 05 tháng 02 năm 2026".

    Decree 30/2020, Phụ lục I: a day below 10, and the months 1 and 2, take a
    leading zero; the other months are written without one ("tháng 3").
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _strip_end_punctuation(text: str) -> str:
    return text.strip().rstrip(";.,").rstrip()


@dataclass
class OfficialDocument:
    """One document: a công văn (summary set, no title) or a titled one (BÁO CÁO…)."""

    parent_body: str = "UBND TỈNH KHÁNH HÒA"
    issuing_body: str = "VĂN PHÒNG"
    # Full "123/VP-TH", or None for a draft: "Số:        /VP-TH" from number_suffix.
    number: str | None = None
    number_suffix: str = ""
    place: str = "Khánh Hòa"
    # None for a draft: "ngày      tháng      năm 2026" with `year` (or this year).
    issued_on: dt.date | None = None
    year: int | None = None
    summary: str | None = None  # "V/v …" of a công văn
    title: str | None = None  # "BÁO CÁO"; None for a công văn
    title_summary: str | None = None  # bold line under the title
    urgency_mark: str | None = None  # "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"
    secrecy_mark: str | None = None  # "MẬT", "TỐI MẬT", "TUYỆT MẬT"
    recipients: list[str] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    signer_authority: str | None = None  # "KT. CHÁNH VĂN PHÒNG"
    signer_position: str = ""  # "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str = ""
    cc: list[str] = field(default_factory=list)
    archive: str = DEFAULT_ARCHIVE
    appendices: list[Appendix] = field(default_factory=list)  # after the signature, own pages

    # --- the texts both renderers print -------------------------------------------

    def parent_body_text(self) -> str:
        return self.parent_body.upper()

    def issuing_body_text(self) -> str:
        return self.issuing_body.upper()

    def number_line(self) -> str:
        """"Số: 123/VP-TH"; for a draft "Số:        /VP-TH"."""
        number = (self.number or "").strip()
        if not number:
            return f"Số:{_NUMBER_BLANK}{self.number_suffix}"
        if self.number_suffix and "/" not in number:
            number += self.number_suffix
        return f"Số: {number}"

    def summary_line(self) -> str | None:
        """The "V/v …" line of a công văn."""
        if not self.summary:
            return None
        summary = self.summary.strip()
        if summary.lower().startswith("v/v"):
            return "V/v" + summary[3:]
        return f"V/v {summary}"

    def date_text(self, today: dt.date | None = None) -> str:
        if self.issued_on is not None:
            return date_line(self.place, self.issued_on)
        year = self.year or (today or dt.date.today()).year
        return f"{self.place}, ngày{_DATE_BLANK}tháng{_DATE_BLANK}năm {year}"

    def marks(self) -> list[str]:
        """Urgency and secrecy marks, in the left column below the number."""
        return [m.upper() for m in (self.urgency_mark, self.secrecy_mark) if m]

    def title_text(self) -> str | None:
        return self.title.upper() if self.title else None

    def recipient_lines(self) -> list[str]:
        """One recipient: ["Sở Tài chính."]; several: ["- A;", "- B;", "- C."]."""
        names = [_strip_end_punctuation(r) for r in self.recipients if r.strip()]
        if len(names) == 1:
            return [f"{names[0]}."]
        return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]

    def signature_lines(self) -> list[str]:
        """Authority and position in capitals, e.g. KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG."""
        return [line.upper() for line in (self.signer_authority, self.signer_position) if line]

    def cc_lines(self) -> list[str]:
        """"- Như trên;" lines, always ending with the archive line "- Lưu: VT, TH."."""
        lines = [f"- {_strip_end_punctuation(item)};" for item in self.cc if item.strip()]
        archive = _strip_end_punctuation(self.archive or DEFAULT_ARCHIVE)
        lines.append(f"- {archive}.")
        return lines

    def metadata_title(self) -> str:
        """The PDF/DOCX title: the summary, else the title and its summary."""
        if self.summary_line():
            return self.summary_line() or ""
        parts = [p for p in (self.title_text(), self.title_summary) if p]
        return " ".join(parts) or self.number_line()

    def author(self) -> str:
        return f"{self.parent_body_text()} - {self.issuing_body_text()}"

"""A long phụ lục is laid out in parts and joined (issue 10: WeasyPrint's memory grows with
the document): every row once, in order, the page numbers running on, the title kept."""
import io

from pypdf import PdfReader

from app.render import pdf
from app.render.model import Appendix, OfficialDocument, Paragraph, Table


def _doc(rows):
    table = Table(columns=["STT", "Nội dung"], rows=[[str(n), f"Nhiệm vụ số {n:03d}"] for n in range(1, rows + 1)],
                  widths=[1, 8])
    return OfficialDocument(title="BÁO CÁO", title_summary="Kết quả", body=[Paragraph("Nội dung báo cáo.")],
                            signer_position="THỦ TRƯỞNG CƠ QUAN", signer_name="Nguyễn Văn A",
                            appendices=[Appendix(label="Phụ lục II", title="DANH MỤC",
                                                 body=[Paragraph("Đầu phụ lục."), table, Paragraph("Ghi chú cuối.")])])


def test_a_long_table_is_rendered_in_parts_with_every_row_and_running_page_numbers(monkeypatch):
    monkeypatch.setattr(pdf, "PART_ROWS", 40)
    reader = PdfReader(io.BytesIO(pdf.render_pdf(_doc(130))))
    texts = [page.extract_text() for page in reader.pages]
    found = [int(line.rsplit(" ", 1)[-1]) for text in texts for line in text.splitlines() if "Nhiệm vụ số" in line]
    assert found == list(range(1, 131))  # four parts: 40 + 40 + 40 + 10, each row once, in order
    assert [text.splitlines()[-1].strip() for text in texts[1:]] == [str(n) for n in range(2, len(texts) + 1)]
    assert "Ghi chú cuối." in texts[-1] and "Phụ lục II" in texts[1]
    assert reader.metadata.title == "BÁO CÁO Kết quả"
    assert all(text.count("Nội dung") >= 1 for text in texts[1:])  # the header row on every page


def test_only_a_table_longer_than_a_part_is_split(monkeypatch):
    monkeypatch.setattr(pdf, "PART_ROWS", 40)
    assert pdf._split(_doc(40)) is None
    first, later = pdf._split(_doc(81))
    assert [len(b[0].rows) for b in later] == [40, 1] and later[-1][-1] == Paragraph("Ghi chú cuối.")
    assert len(first.appendices[0].body[1].rows) == 40 and len(first.appendices[0].body) == 2


def test_a_pdf_rendered_apart_is_the_pdf_rendered_here_and_a_failure_is_raised():
    import pytest

    doc = _doc(5)
    here, apart = (PdfReader(io.BytesIO(data)) for data in (pdf.render_pdf(doc), pdf.render_pdf_apart(doc)))
    assert [p.extract_text() for p in apart.pages] == [p.extract_text() for p in here.pages]
    with pytest.raises(RuntimeError, match="the PDF renderer failed"):
        pdf.render_pdf_apart("not a document")


def test_a_docx_rendered_apart_is_the_docx_rendered_here_and_a_failure_is_raised():
    import pytest
    from docx import Document as read_docx

    from app.render.apart import render_apart
    from app.render.docx import render_docx

    doc = _doc(5)
    here, apart = (read_docx(io.BytesIO(data)) for data in (render_docx(doc), render_apart("docx", doc)))
    assert [p.text for p in apart.paragraphs] == [p.text for p in here.paragraphs]
    assert [[c.text for c in r.cells] for r in apart.tables[-1].rows] == \
        [[c.text for c in r.cells] for r in here.tables[-1].rows]
    with pytest.raises(RuntimeError, match="the DOCX renderer failed"):
        render_apart("docx", "not a document")

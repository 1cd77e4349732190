"""A letter edited in the browser renders exactly like a fresh draft (issue 9:
browsers send textarea line ends as CRLF)."""
import io

from docx import Document as Docx
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import UrgingLetter
from tests.jobs.test_letters import overdue  # noqa: F401  (fixture)


def _docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Docx(io.BytesIO(data)).paragraphs if p.text.strip()]


def _table_before_closing(data: bytes) -> bool:
    """In the PDF the task table (its header "Nội dung nhiệm vụ") comes before the closing line."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    return 0 <= text.find("Nội dung nhiệm vụ") < text.find("biết, thực hiện./.")


def test_a_letter_saved_from_the_browser_keeps_its_paragraphs_and_table(app, client, auth, overdue, run_jobs,
                                                                        ctx):
    auth.login("officer")
    client.post("/letters/urge-overdue", data={})
    run_jobs()
    db.session.expire_all()
    letter = next(l for l in db.session.scalars(select(UrgingLetter)) if l.agency.code == "STC")
    fresh_docx = _docx_paragraphs(client.get(f"/letters/file/{letter.id}/docx").data)
    assert _table_before_closing(client.get(f"/letters/file/{letter.id}/pdf").data)
    body = letter.body
    # The textarea posts CRLF line ends, as every browser does.
    answer = client.post(f"/letters/show/{letter.id}", data={
        "version": letter.version, "summary": letter.summary, "body": body.replace("\n", "\r\n"),
        "signer_authority": letter.signer_authority or "", "signer_position": letter.signer_position,
        "signer_name": letter.signer_name or ""})
    assert answer.status_code == 302
    run_jobs()
    db.session.expire_all()
    letter = db.session.get(UrgingLetter, letter.id)
    assert "\r" not in letter.body
    edited_docx = _docx_paragraphs(client.get(f"/letters/file/{letter.id}/docx").data)
    assert edited_docx == fresh_docx
    assert _table_before_closing(client.get(f"/letters/file/{letter.id}/pdf").data)


def test_blank_lines_with_spaces_still_separate_paragraphs(app, ctx):
    from app.services.letters import body_paragraphs

    assert body_paragraphs("Một.\r\n \r\nHai.\r\n\r\n\r\nBa./.") == ["Một.", "Hai.", "Ba./."]
    assert body_paragraphs("Một dòng\r\nnối tiếp.") == ["Một dòng\nnối tiếp."]

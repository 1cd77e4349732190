"""Vietnamese administrative documents (Decree 30/2020/NĐ-CP) as PDF and editable DOCX.

    from app.render import OfficialDocument, Paragraph, Table, render_pdf, render_docx

Pure: no Flask, database or queue, so views and jobs alike can call it.
"""
from app.render.model import Appendix, OfficialDocument, Paragraph, Table, attachment_reference, date_line

__all__ = ["Appendix", "OfficialDocument", "attachment_reference", "Paragraph", "Table", "date_line", "render_docx", "render_pdf"]


def __getattr__(name):
    """render_pdf and render_docx on first use: importing the model (every view that
    builds a document does) must not load python-docx or WeasyPrint into the web
    worker (issue 10: ~9 and ~29 MiB)."""
    if name == "render_pdf":
        from app.render.pdf import render_pdf

        return render_pdf
    if name == "render_docx":
        from app.render.docx import render_docx

        return render_docx
    raise AttributeError(name)

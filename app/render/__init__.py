"""Vietnamese administrative documents (Decree 30/2020/NĐ-CP) as PDF and editable DOCX.

    from app.render import OfficialDocument, Paragraph, Table, render_pdf, render_docx

Pure: no Flask, database or queue, so views and jobs alike can call it.
"""
from app.render.docx import render_docx
from app.render.model import Appendix, OfficialDocument, Paragraph, Table, attachment_reference, date_line
from app.render.pdf import render_pdf

__all__ = ["Appendix", "OfficialDocument", "attachment_reference", "Paragraph", "Table", "date_line", "render_docx", "render_pdf"]

"""Task lists as XLSX. The caller passes a query the row-level rule already
restricts (TaskView.export, the API); nothing here widens it."""
from __future__ import annotations

import io


def tasks_xlsx(query, *, labels, badge) -> bytes:
    from flask_babel import gettext as _
    from openpyxl import Workbook  # imported where the file is made (issue 10)

    from app.services.xlsx import text_row

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Tasks"))
    header = [_("Row no."), _("Document"), _("Date of issue"), _("Task content"), _("Lead agency"),
              _("Coordinating agencies"), _("Deadline"), _("Status"), _("Working days")]
    sheet.append(header)
    for n, task in enumerate(query, start=1):
        sheet.append(text_row(sheet, [
            n, task.document.number, task.document.issued_on.strftime("%d/%m/%Y"), task.content,
            task.lead_agency.name, "; ".join(a.name for a in task.coordinating_agencies),
            task.deadline.strftime("%d/%m/%Y"), str(labels.TASK_STATUS.get(task.status, task.status)),
            badge(task),
        ]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

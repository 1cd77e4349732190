"""REST API (Art. 2.4, 21: connection with other systems), FAB's JWT login.

Responses follow FAB's shapes: lists {"count", "ids", "result"}, one item
{"id", "result"}, errors {"message"} (+ "errors" per field). Columns are listed
explicitly: no password hash or internal field is ever serialised. Every task
and document read goes through app.access, so a task the caller may not see
answers 404.
"""
from app.api.calendar import CalendarApi
from app.api.common import MAX_PAGE_SIZE, agency_json, document_json, task_json
from app.api.lifecycle import ExtensionRequestApi
from app.api.monitoring import DelayReportApi, UrgingLetterApi
from app.api.register import AgencyApi, DocumentApi, TaskApi
from app.api.reports import ReportsApi

__all__ = ["AgencyApi", "CalendarApi", "DelayReportApi", "DocumentApi", "ExtensionRequestApi",
           "MAX_PAGE_SIZE", "ReportsApi", "TaskApi", "UrgingLetterApi", "agency_json", "document_json",
           "task_json"]

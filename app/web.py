"""Wiring of the web edge: AppBuilder, menus, views and APIs."""
from __future__ import annotations

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.extensions import db


def init_web(app: Flask) -> None:
    from app import history  # noqa: F401  -- registers the history hooks
    from app.api import (
        AgencyApi,
        CalendarApi,
        DelayReportApi,
        DocumentApi,
        ExtensionRequestApi,
        ReportsApi,
        TaskApi,
        UrgingLetterApi,
    )
    from app.security import AppSecurityManager
    from app.views import (
        AgencyView,
        AttachmentView,
        CalendarView,
        DocumentView,
        ExtensionView,
        HomeView,
        LateEntryView,
        TaskView,
    )

    appbuilder = AppBuilder(security_manager_class=AppSecurityManager, indexview=HomeView,
                            update_perms=False)
    appbuilder.init_app(app, db.session)
    from app.i18n import init_i18n

    init_i18n(app)

    appbuilder.add_view(TaskView, "Task list", label=_l("Task list"), category="Tasks",
                        category_label=_l("Tasks"), icon="fa-tasks")
    appbuilder.add_view(DocumentView, "Documents", label=_l("Documents"), category="Tasks",
                        icon="fa-file-text-o")
    appbuilder.add_link("Enter a document", label=_l("Enter a document"),
                        href="/documents/add", category="Tasks", icon="fa-plus")
    appbuilder.add_view(LateEntryView, "Late entries", label=_l("Documents entered late (Art. 6)"),
                        category="Tasks", icon="fa-clock-o")
    appbuilder.add_view(ExtensionView, "Extension requests", label=_l("Extension requests"),
                        category="Tasks", icon="fa-calendar-plus-o")
    appbuilder.add_view(AgencyView, "Agencies", label=_l("Agencies"), category="Tasks",
                        icon="fa-building")
    appbuilder.add_view(CalendarView, "Working calendar", label=_l("Working calendar"),
                        category="Administration", category_label=_l("Administration"),
                        icon="fa-calendar")
    appbuilder.add_view_no_menu(AttachmentView)
    from app.views_monitoring import init_monitoring

    init_monitoring(app, appbuilder)
    from app.views_reports import init_reports

    init_reports(app, appbuilder)
    # Asking for direction (issue 13): report requests, difficulties, proposals to the Chairman.
    from app.views_direction import init_direction

    init_direction(app, appbuilder)
    for api in (TaskApi, DocumentApi, AgencyApi, CalendarApi, ExtensionRequestApi, DelayReportApi,
                UrgingLetterApi, ReportsApi):
        appbuilder.add_api(api)

    @app.template_filter("vndate")
    def vndate(value):
        return value.strftime(app.config["DATE_FORMAT"]) if value else ""

    @app.template_filter("vnisodate")
    def vnisodate(value):
        import datetime as dt

        return dt.date.fromisoformat(value).strftime(app.config["DATE_FORMAT"]) if value else ""

    @app.template_filter("vndatetime")
    def vndatetime(value):
        return value.strftime(app.config["DATETIME_FORMAT"]) if value else ""

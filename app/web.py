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
    from app.page_cache import init_page_cache

    init_page_cache(app)

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
    # API documentation (issue 8, finding 12): the OpenAPI document and Swagger UI.
    from app.api.openapi import OpenApi, SwaggerView

    appbuilder.add_api(OpenApi)
    appbuilder.add_view_no_menu(SwaggerView)
    from app.api.messages import init_api_messages  # the API's messages in Vietnamese (issue 9)

    init_api_messages(app, appbuilder.sm.jwt_manager)

    # one-time tokens of the creating forms (issue 8, finding 15)
    from app.form_tokens import init_form_tokens

    init_form_tokens(app)

    # Mail preferences, admin screens in Vietnamese, the role matrix page.
    from app.views_settings import init_settings

    init_settings(app, appbuilder)
    # Intake (issue 12): edXML intake and tasks from Excel.
    from app.views_intake import init_intake

    init_intake(app, appbuilder)

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

    # Inspections (Chương V): screens and API of their own.
    from app.views_inspections import init_inspections

    init_inspections(app, appbuilder)

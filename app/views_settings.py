"""Wiring of the settings screens (issue 9): mail preferences (user menu), the role matrix
page beside FAB's role screens, the jobs page's Vietnamese names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


def init_settings(app, appbuilder) -> None:
    from app.views_mail import MailPreferenceView
    from app.views_roles import RolePermissionsView

    from app.job_labels import detail_text, job_label, job_time, queue_label

    app.add_template_global(queue_label, "queue_label")
    app.add_template_global(job_label, "job_label")
    app.add_template_global(detail_text, "job_detail")
    app.add_template_global(job_time, "job_time")
    from app import dates_ui

    dates_ui.install(app)
    appbuilder.add_view_no_menu(MailPreferenceView)
    appbuilder.add_view(RolePermissionsView, "Role permissions", label=_l("Permissions of the roles"),
                        category="Security", icon="fa-table")

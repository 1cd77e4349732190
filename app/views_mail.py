"""The "Thông báo qua thư" settings page (issue 9): each user chooses, per kind
of notification, at once, in the daily digest or not by mail. Thin: the
service validates and saves."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from app.access import current_viewer
from app.domain.mail_preferences import DEFAULTS, Delivery, MailCategory
from app.extensions import db
from app.services import mail_preferences
from app.services.errors import ServiceError


class MailPreferenceView(BaseView):
    route_base = "/mail-preferences"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def index(self):
        viewer = current_viewer()
        if request.method == "POST":
            choices = {c.value: request.form.get(c.value) for c in MailCategory if c.value in request.form}
            try:
                mail_preferences.save_preferences(viewer, choices)
            except ServiceError as error:
                db.session.rollback()
                from app.views import _flash_refusal

                _flash_refusal(error)
                return self._page(viewer), error.status
            flash(_("Your mail preferences were saved."), "success")
            return redirect(url_for("MailPreferenceView.index"))
        return self._page(viewer)

    def _page(self, viewer):
        return self.render_template(
            "mail_preferences.html", title=_("Notifications by mail"),
            chosen=mail_preferences.preferences_of(viewer.user_id), categories=list(MailCategory),
            deliveries=list(Delivery), defaults=DEFAULTS, category_label=mail_preferences.CATEGORY_LABEL,
            delivery_label=mail_preferences.DELIVERY_LABEL)

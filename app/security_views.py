"""FAB's user, role and group screens as the Admin reads them, in Vietnamese
(issue 9): role names with their Vietnamese label (the identifiers stay, the
role matrix of app/permissions.py needs them), booleans as Có/Không, dates as
dd/mm/yyyy, an empty value as nothing rather than "None", permissions as
sentences, and no "__None" in a select."""
from __future__ import annotations

from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.security.sqla.models import PermissionView, Role
from flask_appbuilder.security.views import RoleModelView as FabRoleModelView
from flask_appbuilder.security.views import UserGroupModelView as FabUserGroupModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.permission_labels import permission_view_label, role_label, roles_text


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def blank(value) -> str:
    return "" if value is None else str(value)


def date_time(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _names(items) -> str:
    return "; ".join(str(item) for item in items or [])


def _permission_list(permissions) -> Markup:
    labels = sorted(permission_view_label(pv) for pv in permissions or [])
    return Markup("<ul class='role-permissions'>%s</ul>") % Markup("").join(
        Markup("<li>%s</li>") % escape(label) for label in labels)


def _all_roles():
    from app.extensions import db

    return db.session.query(Role).order_by(Role.id)


def _all_permissions():
    from app.extensions import db

    return db.session.query(PermissionView)


def role_field(label=_l("Role"), description=""):
    return QuerySelectMultipleField(label, query_func=_all_roles, get_pk_func=lambda r: r.id,
                                    get_label=role_label, widget=Select2ManyWidget(), description=description)


USER_FORMATTERS = {
    "active": yes_no,
    "roles": roles_text,
    "groups": _names,
    "agency": blank,
    "created_by": blank,
    "changed_by": blank,
    "last_login": date_time,
    "created_on": date_time,
    "changed_on": date_time,
    "login_count": lambda n: str(n or 0),
    "fail_login_count": lambda n: str(n or 0),
}


def vietnamese_user_view(view):
    """The app's user view with the Vietnamese presentation added."""
    extra = {"roles": role_field(description=_l(
        "The roles decide what the user may do: see Security → Permissions of the roles."))}
    return type(view.__name__, (view,), {
        "__doc__": view.__doc__,
        "formatters_columns": {**(getattr(view, "formatters_columns", None) or {}), **USER_FORMATTERS},
        "add_form_extra_fields": {**(getattr(view, "add_form_extra_fields", None) or {}), **extra},
        "edit_form_extra_fields": {**(getattr(view, "edit_form_extra_fields", None) or {}), **extra},
        "__module__": view.__module__,
    })


class RoleModelView(FabRoleModelView):
    """Roles: the identifier with its Vietnamese label, the permissions as
    sentences. The permissions themselves are data (app/permissions.py,
    `flask roles sync`); the matrix page shows them per role. (FAB's class
    name is kept: FAB names the permissions of a view after its class.)"""

    list_widget = ListWidget  # FAB's role widgets ignore the formatters
    show_widget = ShowWidget
    list_columns = ["name", "permissions"]
    label_columns = {"name": _l("Role"), "permissions": _l("Permissions"), "user": _l("Users"),
                     "groups": _l("Groups")}
    formatters_columns = {
        "name": role_label,
        "permissions": lambda ps: _("%(n)s permissions", n=len(ps or [])),
    }
    show_formatters = {"name": role_label, "permissions": _permission_list}
    description_columns = {"permissions": _l(
        "The permissions of the app's roles are kept in app/permissions.py and applied with "
        "`flask roles sync`, which overwrites changes made here.")}
    edit_form_extra_fields = add_form_extra_fields = {
        "permissions": QuerySelectMultipleField(
            _l("Permissions"), query_func=_all_permissions, get_pk_func=lambda pv: pv.id,
            get_label=permission_view_label, widget=Select2ManyWidget()),
    }

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        # FAB's own, with the show page's formatters (the whole list, not a count).
        widgets = widgets or {}
        widgets["show"] = self.show_widget(
            pk=pk, label_columns=self.label_columns, include_columns=self.show_columns,
            value_columns=self.datamodel.get_values_item(item, self.show_columns),
            formatters_columns=self.show_formatters, actions=actions or self.actions,
            fieldsets=show_fieldsets or self.show_fieldsets, modelview_name=self.__class__.__name__)
        return widgets


class UserGroupModelView(FabUserGroupModelView):
    label_columns = {"name": _l("Name"), "label": _l("Label"), "description": _l("Description"),
                     "users": _l("Users"), "roles": _l("Roles")}
    formatters_columns = {"roles": roles_text, "users": _names, "description": blank, "label": blank}
    edit_form_extra_fields = add_form_extra_fields = {"roles": role_field()}


def _blank_choice_in_words() -> None:
    """WTForms ≥ 3.2 shows an option's value when its label is empty: FAB's
    optional selects read "__None". Give the blank choice words instead."""
    original = QuerySelectField.iter_choices
    if getattr(original, "_vn_patched", False):
        return

    def iter_choices(self):
        for choice in original(self):
            if choice[0] == "__None" and not choice[1]:
                choice = ("__None", _("— Not chosen —"), *choice[2:])
            yield choice

    iter_choices._vn_patched = True
    QuerySelectField.iter_choices = iter_choices


_blank_choice_in_words()

"""The Admin's page "Quyền của các vai trò": the role matrix of app/permissions.py
in Vietnamese, what each role may do, beside FAB's role screens (issue 9)."""
from __future__ import annotations

from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocabulary import Role
from app.extensions import db
from app.permission_labels import ROLE_LABEL, permission_label, subject_label
from app.permissions import ROLE_PERMISSIONS


def role_matrix():
    """(roles, sections): roles as (identifier, label); sections as (subject,
    rows), each row (label, {role: allowed}) — in the order app/permissions.py
    lists them. The Admin holds every permission (app.security.sync_roles)."""
    roles = [name for name in ROLE_PERMISSIONS if name != "Public"]
    sections: dict[str, list] = {}
    seen = set()
    for role in roles:
        for permission, view in ROLE_PERMISSIONS[role]:
            if (permission, view) in seen:
                continue
            seen.add((permission, view))
            allowed = {r: r == Role.Admin.value or (permission, view) in ROLE_PERMISSIONS[r] for r in roles}
            subject = _("Menu") if permission == "menu_access" else subject_label(view)
            sections.setdefault(subject, []).append(
                (permission_label(permission, view), allowed, f"{permission}-{view}"))
    return [(r, str(ROLE_LABEL.get(r, r))) for r in roles], list(sections.items())


class RolePermissionsView(BaseView):
    route_base = "/role-permissions"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        from flask_appbuilder.security.sqla.models import Role as FabRole, assoc_user_role

        roles, sections = role_matrix()
        users = dict(db.session.execute(
            select(FabRole.name, func.count(assoc_user_role.c.user_id))
            .join(assoc_user_role, assoc_user_role.c.role_id == FabRole.id, isouter=True)
            .group_by(FabRole.name)).all())
        return self.render_template("role_permissions.html", title=_("Permissions of the roles"), roles=roles,
                                    sections=sections, users=users)

"""Sign-in and roles: FAB's security manager with our user (linked to an agency)
and the role matrix of app.permissions kept as data."""
from __future__ import annotations

import functools
import logging

from flask_appbuilder.security.sqla.manager import SecurityManager as FabSecurityManager
from flask_appbuilder.security.views import UserDBModelView as FabUserDBModelView
from flask import flash, g, redirect
from flask_appbuilder.actions import action
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, exists, func, select
from wtforms.validators import ValidationError

from app.api.security_api import PermissionViewMenuApi, UserApi
from app.domain.vocabulary import AGENCYLESS_ROLES, PROVINCE_WIDE_ROLES, Role
from app.models import AppUser
from app.permissions import ROLE_PERMISSIONS

PROVINCE_WIDE = {r.value for r in PROVINCE_WIDE_ROLES}
log = logging.getLogger(__name__)


def check_agency_for_roles(role_names, agency) -> str | None:
    """SPEC §1: every user but Admin, OfficeLeader, OfficeOfficial and Chairman
    belongs to exactly one agency. Returns the problem, or None."""
    role_names = set(role_names)
    if role_names - {r.value for r in AGENCYLESS_ROLES} and agency is None:
        return str(_l("An agency user (head, staff, commune chair, working group member) "
                      "must belong to an agency."))
    return None


class AppUserDBModelView(FabUserDBModelView):
    label_columns = {**FabUserDBModelView.label_columns, "agency": _l("Agency")}
    list_columns = ["first_name", "last_name", "username", "agency", "active", "roles"]
    add_columns = FabUserDBModelView.add_columns + ["agency"]
    edit_columns = ["first_name", "last_name", "username", "active", "email", "roles", "agency"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "active", "roles", "agency", "login_count"]}),
        *FabUserDBModelView.show_fieldsets[1:],
    ]
    search_columns = ["first_name", "last_name", "username", "email", "active", "roles", "agency"]

    @action("unlock", _l("Unlock sign-in"), _l("Unlock sign-in for the selected users?"),
            "fa-unlock", single=False)
    def unlock(self, items):
        from app.login_limits import unlock

        items = items if isinstance(items, list) else [items]
        for item in items:
            unlock(item.username)
        flash(_l("Sign-in unlocked."), "info")
        return redirect(self.get_redirect())

    def _check(self, item) -> None:
        problem = check_agency_for_roles([r.name for r in item.roles], item.agency)
        if problem:
            raise ValidationError(problem)

    def pre_add(self, item):
        self._check(item)
        super().pre_add(item)  # FAB's: hashes the password (without it the form stored it as typed)

    def pre_update(self, item):
        self._check(item)
        if not item.active:  # a deactivated user's sessions and tokens end at once
            item.session_epoch = (item.session_epoch or 0) + 1


# Admin screens in Vietnamese (issue 9): role labels, Có/Không, never "None";
# FAB's user statistics chart (it loads its script from the internet) is not offered.
from app.security_views import RoleModelView, UserGroupModelView, vietnamese_user_view  # noqa: E402

AppUserDBModelView = vietnamese_user_view(AppUserDBModelView)


class AppSecurityManager(FabSecurityManager):
    user_model = AppUser
    userdbmodelview = AppUserDBModelView
    rolemodelview = RoleModelView
    groupmodelview = UserGroupModelView
    userstatschartview = None  # FAB's chart loads from the internet
    # FAB's security API without its 500s (app/api/security_api.py).
    user_api = UserApi
    permission_view_menu_api = PermissionViewMenuApi

    def _user_with_version(self, pk):
        """The user, in one statement with what every signed-in page asks besides (issue 10):
        the data versions its caches are keyed by (app/versions.py; the security version of
        app/grants.py among them), its unread notifications (the bell), the working
        calendar's signature (app/services/calendar.py) and whether it is in any Working
        Group at all (else it has no inspection grant to look up, app/access.py)."""
        from app import versions

        user_id = int(pk)
        row = self.session.execute(_user_statement(), {"user_id": user_id}).first()
        if row is None:
            return None
        user, mapping = row[0], row._mapping
        user._security_version = mapping["version_security"]
        versions.remember(mapping)
        versions.note("unread", (user_id, int(mapping["unread"] or 0)))
        versions.note("calendar_signature",
                      (int(mapping["overrides"] or 0), int(mapping["last_override"] or 0)))
        versions.note("working_group_member", (user_id, bool(mapping["member"])))
        return user

    def load_user(self, pk):
        from app.sessions import web_session_valid

        user = self._user_with_version(pk)
        if user is None or not user.is_active or not web_session_valid(user):
            return None
        return user

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = self._user_with_version(jwt_data["sub"])
        if user and user.is_active and jwt_data.get("epoch") == (user.session_epoch or 0):
            g.user = user
            return user
        return None

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)

        @jwt_manager.additional_claims_loader
        def epoch_claim(identity):
            user = self.get_user_by_id(int(identity))
            return {"epoch": (user.session_epoch or 0) if user else -1}

        return jwt_manager

    def reset_password(self, userid, password):
        """A changed or reset password ends the user's sessions and tokens."""
        from app.sessions import bump_epoch

        super().reset_password(userid, password)
        user = self.get_user_by_id(userid)
        if user is not None:
            bump_epoch(user)

    def update_user(self, user):
        if not user.active:
            user.session_epoch = (user.session_epoch or 0) + 1
        return super().update_user(user)

    def auth_user_db(self, username, password):
        """Web and API sign-in alike: failed attempts limited per account and address."""
        from flask import request

        from app.login_limits import LoginRefused, guarded, refused_message

        try:
            user = guarded(username or "",
                           lambda: super(AppSecurityManager, self).auth_user_db(username, password))
        except LoginRefused:
            # FAB's views answer a plain failure; the after_request hook in
            # app/__init__.py turns the API's into a 429 with this message.
            g.login_refused = True
            if not request.path.startswith("/api/"):
                flash(refused_message(), "danger")
            return None
        if user is not None:
            self._rehash_if_old(user, password)
        return user

    def _rehash_if_old(self, user, password: str) -> None:
        """A hash of an older method (Werkzeug's 32 MiB scrypt default before issue 10)
        is replaced by one of PASSWORD_HASH_METHOD now that the password is known good.
        The sessions stay: the password did not change (no bump of session_epoch)."""
        from app.passwords import hash_password, needs_rehash

        if not needs_rehash(user.password):
            return
        try:
            user.password = hash_password(password)
            self.session.merge(user)
            self.session.commit()
        except Exception:  # the sign-in succeeded; a failed upgrade waits for the next one
            self.session.rollback()
            log.warning("password hash of user %s not upgraded", user.id, exc_info=True)

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        """FAB asks the database once per check (ten per list page, one per menu
        item); we read the user's permissions once per request (PERFORMANCE.md), and
        from this worker's memory while the security version stays the same
        (app/grants.py: exact, every worker sees a change on its next request)."""
        cached = g.get("_permissions")
        if cached is None or cached[0] != user.id:
            cached = (user.id, self._permission_pairs(user))
            g._permissions = cached
        return (permission_name, view_name) in cached[1]

    def is_item_public(self, permission_name, view_name):
        """FAB read the Public role and its permissions (two statements) on every API call
        before the user; they are kept under the security version like any role set's
        (app/grants.py; the version read once per request, app/versions.py)."""
        from app import versions
        from app.grants import remembered

        return (permission_name, view_name) in remembered(versions.get("security"), ("public",),
                                                          self._public_pairs)

    def _public_pairs(self) -> frozenset[tuple[str, str]]:
        role = self.get_public_role()
        if role is None:
            return frozenset()
        return frozenset((pv.permission.name, pv.view_menu.name) for pv in role.permissions
                         if pv.permission is not None and pv.view_menu is not None)

    def _permission_pairs(self, user) -> frozenset[tuple[str, str]]:
        from app.grants import remembered, user_roles

        role_ids = user_roles(user)[1]
        return remembered(getattr(user, "_security_version", None), ("permissions", role_ids),
                          lambda: self._permission_pairs_of(role_ids))

    def _permission_pairs_of(self, role_ids) -> frozenset[tuple[str, str]]:
        from flask_appbuilder.security.sqla.models import (
            Permission,
            PermissionView,
            ViewMenu,
            assoc_permissionview_role,
        )

        if not role_ids:
            return frozenset()
        rows = self.session.execute(
            select(Permission.name, ViewMenu.name)
            .select_from(PermissionView)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
            .join(assoc_permissionview_role,
                  assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .where(assoc_permissionview_role.c.role_id.in_(sorted(role_ids)))
        ).all()
        return frozenset((perm, view) for perm, view in rows)


@functools.cache
def _user_statement():
    """Built once (its Python construction cost more than its execution): the user by
    :user_id, with the columns _user_with_version reads."""
    from app import versions
    from app.models import CalendarOverride, Notification
    from app.models_inspections import InspectionMember

    user_id = bindparam("user_id", type_=Integer)
    from app.services.notifications import unread_counted

    unread = unread_counted(user_id).label("unread")
    overrides = select(func.count(CalendarOverride.id)).scalar_subquery().label("overrides")
    last_override = select(func.coalesce(func.max(CalendarOverride.id), 0)).scalar_subquery().label(
        "last_override")
    member = exists().where(InspectionMember.user_id == user_id).label("member")
    return select(AppUser, *versions.columns(), unread, overrides, last_override, member).where(
        AppUser.id == user_id)


def sync_roles(appbuilder) -> dict[str, int]:
    """Make roles and their permissions match ROLE_PERMISSIONS exactly.
    Idempotent: running it twice changes nothing the second time."""
    sm = appbuilder.sm
    for role_name in ROLE_PERMISSIONS:  # FAB grants new permissions to Admin: it must exist
        if sm.find_role(role_name) is None:
            sm.add_role(role_name)
    appbuilder.add_permissions(update_perms=True)
    # Permissions no decorator names (checked inside a view) exist before the Admin's
    # "every permission" is taken.
    for wanted in ROLE_PERMISSIONS.values():
        for permission, view in wanted:
            if sm.find_permission_view_menu(permission, view) is None:
                sm.add_permission_view_menu(permission, view)
    counts = {}
    for role_name, wanted in ROLE_PERMISSIONS.items():
        role = sm.find_role(role_name)
        if role_name == Role.Admin.value:
            from flask_appbuilder.security.sqla.models import PermissionView

            target = set(sm.session.query(PermissionView).all())
        else:
            target = set()
            for permission, view in wanted:
                pv = sm.find_permission_view_menu(permission, view)
                if pv is None:
                    pv = sm.add_permission_view_menu(permission, view)
                target.add(pv)
        if set(role.permissions) != target:
            role.permissions = sorted(target, key=lambda pv: pv.id or 0)
        counts[role_name] = len(target)
    sm.session.commit()
    return counts

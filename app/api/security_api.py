"""FAB's security API (the Admin's users and permissions), without its two 500s
(found by tests/integration/test_route_roles.py): a PUT on a user that does not exist,
and a permission-on-resource POST without its two ids. Same class and permission names."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.security.sqla.apis import PermissionViewMenuApi as FabPermissionViewMenuApi
from flask_appbuilder.security.sqla.apis import UserApi as FabUserApi


class UserApi(FabUserApi):
    @expose("/<pk>", methods=("PUT",))
    @protect()
    @safe
    @permission_name("put")
    def put(self, pk):
        if self.datamodel.get(pk, self._base_filters) is None:
            return self.response_404()
        return FabUserApi.put.__wrapped__(self, pk)

    put.__doc__ = FabUserApi.put.__doc__  # FAB's description of the operation


class PermissionViewMenuApi(FabPermissionViewMenuApi):
    def post_headless(self):
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            missing = {key: ["Missing data for required field."] for key in ("permission_id", "view_menu_id")
                       if not isinstance(body.get(key), int) or isinstance(body.get(key), bool)}
            if missing:
                return self.response_422(message=missing)
        return super().post_headless()

"""The password policy applied everywhere a password is set: FAB's user forms (add,
reset by the Admin, the user's own reset) and its user API, through FAB's
FAB_PASSWORD_COMPLEXITY_VALIDATOR hook, and `flask users create` (app/services/seeding.py).
Settings: PASSWORD_MIN_LENGTH (default 8), PASSWORD_REQUIRE_CLASSES (default 3 of 4 kinds)."""
from __future__ import annotations

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

from app.domain.passwords import PasswordPolicy


def current_policy() -> PasswordPolicy:
    config = current_app.config
    return PasswordPolicy(min_length=int(config.get("PASSWORD_MIN_LENGTH", 8)),
                          required_kinds=max(0, min(4, int(config.get("PASSWORD_REQUIRE_CLASSES", 3)))))


def policy_message(policy: PasswordPolicy) -> str:
    return _("The password must have at least %(length)s characters and at least %(kinds)s of these four "
             "kinds: lowercase letters, capital letters, digits, symbols.",
             length=policy.min_length, kinds=policy.required_kinds)


def check_password(password: str) -> None:
    """FAB's complexity hook: raises with the Vietnamese message when the policy refuses it."""
    policy = current_policy()
    if not policy.accepts(password or ""):
        raise PasswordComplexityValidationError(policy_message(policy))

"""The password policy applied everywhere a password is set: FAB's user forms (add,
reset by the Admin, the user's own reset) and its user API, through FAB's
FAB_PASSWORD_COMPLEXITY_VALIDATOR hook, and `flask users create` (app/services/seeding.py).
Settings: PASSWORD_MIN_LENGTH (default 8), PASSWORD_REQUIRE_CLASSES (default 3 of 4 kinds).

And how a password is stored (issue 10): PASSWORD_HASH_METHOD, a Werkzeug method string,
by default scrypt N=2^13, r=8, p=10 — OWASP's equivalent of its N=2^17 entry at 8 MiB
(Werkzeug's own default, N=2^15, r=8, p=1, needs 32 MiB in the worker for every sign-in and
is weaker than every line of OWASP's table). Every way a password is set reaches
`hash_password` or FAB's FAB_PASSWORD_HASH_METHOD, which `init_password_hashing` makes the
same setting; a hash made under an older method still verifies (Werkzeug reads the method
from the hash) and is replaced at that user's next successful sign-in (`needs_rehash`)."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

from app.domain.passwords import PasswordPolicy

DEFAULT_HASH_METHOD = "scrypt:8192:8:10"
# FAB checks this hash when the user does not exist, so that a wrong username costs the
# same time and memory as a wrong password: it must be of the method in force.
_DUMMY_HASHES = {
    DEFAULT_HASH_METHOD: "scrypt:8192:8:10$W8wrQjMm8GulPKzP$9905700a7e1161c5f886fab1cef67a1012c08be41c2f951c31f"
                         "30ddd85cf5d342a171e6523ad5b8f4e394902d887c7549a93fe36378138ebefea5acd67bd9a42",
}


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


@lru_cache(maxsize=8)
def stored_method(method: str) -> str:
    """The method as Werkzeug writes it into a hash ("scrypt" → "scrypt:32768:8:1")."""
    from werkzeug.security import generate_password_hash

    if method.startswith("scrypt:") and method.count(":") == 3 or method.startswith("pbkdf2:") and method.count(":") == 2:
        return method
    return generate_password_hash("", method=method).split("$", 1)[0]


def init_password_hashing(app) -> None:
    """One setting, PASSWORD_HASH_METHOD, for FAB's paths and ours, and FAB's dummy hash of that method."""
    method = app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_HASH_METHOD
    app.config["PASSWORD_HASH_METHOD"] = app.config["FAB_PASSWORD_HASH_METHOD"] = method
    app.config.setdefault("FAB_PASSWORD_HASH_SALT_LENGTH", 16)
    dummy = _DUMMY_HASHES.get(method)
    if dummy is None:
        from werkzeug.security import generate_password_hash

        dummy = _DUMMY_HASHES[method] = generate_password_hash("password", method=method)
    app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"] = dummy


def hash_password(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"],
                                  salt_length=int(current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16)))


def needs_rehash(stored: str | None) -> bool:
    """A hash made under another method (Werkzeug's old default, a cheaper or dearer one)."""
    if not stored or "$" not in stored:
        return False
    return stored.split("$", 1)[0] != stored_method(current_app.config["PASSWORD_HASH_METHOD"])

"""Refusals a service raises; the API maps them to status codes, the views to
flash messages or form errors."""
from __future__ import annotations


class ServiceError(Exception):
    status = 422

    def __init__(self, message, errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        # field name -> list of messages, for forms and 422 answers
        self.errors = errors or {}

    def as_json(self) -> dict:
        body = {"message": str(self.message)}
        if self.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in self.errors.items()}
        return body


class Invalid(ServiceError):
    status = 422


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """Stale edit or a state that does not allow the action."""

    status = 409


class FieldErrors:
    """Collects refusals per field, so a service reports every problem at once."""

    def __init__(self):
        self.by_field: dict[str, list] = {}

    def add(self, name: str, message) -> None:
        self.by_field.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def text_fits(self, name: str, value, label, max_length: int) -> bool:
        """Refuses text the database cannot store: NUL or a lone surrogate, or longer than
        its column (`max_length` characters)."""
        from flask_babel import lazy_gettext as _l

        from app.domain.text import unstorable

        if not isinstance(value, str):
            return True
        if unstorable(value):
            self.add(name, _l("%(field)s contains a character that cannot be stored (for example a NUL "
                              "byte pasted from another program); remove it.", field=label))
            return False
        if len(value) > max_length:
            self.add(name, _l("%(field)s may be at most %(max)s characters; it has %(n)s.",
                              field=label, max=max_length, n=len(value)))
            return False
        return True

    def date_in_range(self, name: str, value, label) -> bool:
        """Refuses a date outside 2000–2100 (app/domain/dates.py), naming the field."""
        from flask_babel import lazy_gettext as _l

        from app.domain.dates import in_range

        if value is None or in_range(value):
            return True
        self.add(name, _l("%(field)s: %(date)s is not a date this system accepts; enter a date "
                          "between 01/01/2000 and 31/12/2100.", field=label, date=value.strftime("%d/%m/%Y")))
        return False

    # Every service that takes text (issue 8, finding 10): a value that is not text (an object
    # or a list sent to the API), NUL, a lone surrogate or more than its column holds.
    def text(self, name: str, value, label, max_length: int | None = None) -> bool:
        from flask_babel import lazy_gettext as _l

        from app.domain.text import TEXT_MAX

        if value is None:
            return True
        if not isinstance(value, str):
            self.add(name, _l("%(field)s must be text.", field=label))
            return False
        return self.text_fits(name, value, label, max_length or TEXT_MAX)

    def raise_if_any(self, message=None) -> None:
        if self.by_field:
            first = next(iter(self.by_field.values()))[0]
            raise Invalid(message or first, self.by_field)


def check_texts(*fields) -> None:
    """Refuses, naming each field, text a service cannot store: `fields` are
    (name, value, label[, max_length]) tuples (FieldErrors.text)."""
    errors = FieldErrors()
    for field in fields:
        errors.text(*field)
    errors.raise_if_any()

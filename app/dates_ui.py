"""Dates on screen as dd/mm/yyyy whatever the browser's language (issue 9: in
Chromium `<input type=date>` showed 2 December as "12/02/2026"). Every date
field is a text input with a pattern and the app's own offline calendar
(app/static/js/dates.js); the server parses dd/mm/yyyy (and ISO, for the API
and old links) and answers a wrong date with a Vietnamese message naming the
field. FAB's own date widget and search filters are brought in line here too."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import DateField
from wtforms.widgets import TextInput

from app.domain.dates import format_day, parse_day

# dd/mm/yyyy as shown; also the other shapes parse_day reads (ISO for pasted values, 8 digits).
# (No character classes: browsers compile `pattern` with the v flag, where "/" and "-"
# inside [...] are syntax errors and the whole pattern would be ignored.)
PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{8}"
PLACEHOLDER = _l("dd/mm/yyyy")


def wrong_date_message(label, value) -> str:
    return _("%(field)s: “%(value)s” is not a date; enter it as dd/mm/yyyy, for example %(example)s.",
             field=str(label), value=str(value)[:40], example=dt.date.today().strftime("%d/%m/%Y"))


def date_input_attrs() -> dict:
    """The attributes of every date input (text, pattern, the picker's hook)."""
    return {"type": "text", "inputmode": "numeric", "pattern": PATTERN, "placeholder": str(PLACEHOLDER),
            "autocomplete": "off", "maxlength": "10", "data-vn-date": "1",
            "title": _("Date as dd/mm/yyyy, for example %(example)s", example="02/12/2026")}


def date_attrs_html() -> Markup:
    """For hand-written inputs: `<input name="deadline" {{ vn_date_attrs() }}>`."""
    return Markup(" ").join(Markup('%s="%s"') % (key, escape(value)) for key, value in date_input_attrs().items())


class DateText(TextInput):
    def __call__(self, field, **kwargs):
        for key, value in date_input_attrs().items():
            kwargs.setdefault(key, value)
        kwargs["type"] = "text"  # never the browser's date input
        classes = kwargs.pop("class_", "") or kwargs.pop("class", "") or "form-control"
        kwargs["class"] = (classes + " vn-date").strip()
        return super().__call__(field, **kwargs)


class VnDateField(DateField):
    """A date typed as dd/mm/yyyy (ISO accepted); shown as dd/mm/yyyy."""

    widget = DateText()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d/%m/%Y", **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_day(self.data)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = " ".join(valuelist).strip()
        if not text:
            self.data = None
            return
        try:
            self.data = parse_day(text)
        except ValueError:
            self.data = None
            raise ValueError(wrong_date_message(self.label.text, text))


def _fab_date_widget(field, **kwargs) -> Markup:
    return DateText()(field, **kwargs)


def install(app) -> None:
    app.add_template_global(date_attrs_html, "vn_date_attrs")


def _patch_fab() -> None:
    """FAB's date picker (yyyy-mm-dd, English) and its filters' month-first
    parsing ("02/12/2026" read as 12 February) are replaced once, for every view.
    Runs at import (app/forms.py imports this module before FAB builds its forms)."""
    from flask_appbuilder import fieldwidgets
    from flask_appbuilder.models.sqla import filters

    if getattr(filters.set_value_to_type, "_vn_patched", False):
        return
    from flask_appbuilder import forms as fab_forms

    fieldwidgets.DatePickerWidget.__call__ = lambda self, field, **kwargs: _fab_date_widget(field, **kwargs)
    # FAB's generated forms (the working calendar's day…) parse dd/mm/yyyy too.
    fab_forms.FieldConverter.conversion_table = tuple(
        (marker, VnDateField if marker == "is_date" else field, widget)
        for marker, field, widget in fab_forms.FieldConverter.conversion_table)
    original = filters.set_value_to_type

    def set_value_to_type(datamodel, column_name, value):
        if datamodel.is_date(column_name) and isinstance(value, str):
            try:
                return parse_day(value)
            except ValueError:
                return None
        return original(datamodel, column_name, value)

    set_value_to_type._vn_patched = True
    filters.set_value_to_type = set_value_to_type


def form_date(value, label=None):
    """A date from a hand-written form field: None when empty; a wrong one is
    refused (422) with the field's name."""
    from app.services.errors import Invalid

    if value is None or not str(value).strip():
        return None
    try:
        return parse_day(str(value))
    except ValueError:
        raise Invalid(wrong_date_message(label or _("Date"), value), {"date": [wrong_date_message(label or _("Date"), value)]})


_patch_fab()

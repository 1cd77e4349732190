"""WTForms for the screens FAB does not generate: the one-screen document entry
(a document and its tasks), the task and document corrections."""
from __future__ import annotations

import flask_wtf.i18n
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import Optional as OptionalValue

from app import labels
from app.dates_ui import VnDateField  # dd/mm/yyyy whatever the browser's language


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TaskFields:
    """The fields of one task (Art. 4.3–4.8); validation is the service's."""

    content = TextAreaField(_l("Task content"))
    lead_agency_id = SelectField(_l("Lead agency"), coerce=_int_or_none, validate_choice=False)
    coordinating_agency_ids = SelectMultipleField(
        _l("Coordinating agencies"), coerce=int, validate_choice=False)
    tracking_officer_id = SelectField(_l("Tracking officer"), coerce=_int_or_none,
                                      validate_choice=False)
    deadline = VnDateField(_l("Deadline"), validators=[OptionalValue()])
    notes = TextAreaField(_l("Notes"))


class TaskRowForm(PlainForm, TaskFields):
    """One task row of the document entry screen."""

    class Meta:
        def get_translations(self, form):  # the app's catalogue, as FlaskForm (app.i18n)
            return flask_wtf.i18n.translations


class DocumentFieldsForm(FlaskForm):
    doc_type = SelectField(_l("Document type"), choices=labels.choices(labels.DOC_TYPE))
    number = StringField(_l("Number and symbol"), description=_l("e.g. 123/UBND-TH"))
    summary = TextAreaField(_l("Summary"))
    issued_on = VnDateField(_l("Date of issue"), validators=[OptionalValue()])
    signer = StringField(_l("Signed by"))
    issuer = SelectField(_l("Issued by"), choices=labels.choices(labels.ISSUER))
    issuer_name = StringField(_l("Name of the higher authority"))
    received_on = VnDateField(_l("Date received"), validators=[OptionalValue()],
                            description=_l("For a higher authority's document (Art. 6.3)"))
    urgency = SelectField(_l("Urgency"), choices=labels.choices(labels.URGENCY))
    secrecy = SelectField(_l("Secrecy"), choices=labels.choices(labels.SECRECY))
    source = SelectField(_l("Source"), choices=labels.choices(labels.SOURCE))


class DocumentEntryForm(DocumentFieldsForm):
    tasks = FieldList(FormField(TaskRowForm), min_entries=1)
    attachments = MultipleFileField(_l("Attached files (PDF, DOCX, XLSX, images)"))
    send_now = BooleanField(_l("Send the tasks to their lead agencies now"), default=True)


class DocumentEditForm(DocumentFieldsForm):
    version = HiddenField()


class TaskEditForm(FlaskForm, TaskFields):
    attachments = MultipleFileField(_l("Add files"))
    version = HiddenField()


def storable_text(max_length: int | None = None):
    """A form validator (issue 8, finding 10): NUL, a lone surrogate or more characters than
    the column holds are refused with the field's own message, as the services do."""
    from wtforms.validators import ValidationError

    from app.domain.text import TEXT_MAX, unstorable

    limit = max_length or TEXT_MAX

    def check(form, field):
        value = field.data
        if not isinstance(value, str):
            return
        if unstorable(value):
            raise ValidationError(_l("This text contains a character that cannot be stored (for example a "
                                     "NUL byte pasted from another program); remove it."))
        if len(value) > limit:
            raise ValidationError(_l("At most %(max)s characters; this has %(n)s.", max=limit, n=len(value)))

    return check

"""User-facing labels of the vocabulary's identifiers (translated at render time)."""
from flask_babel import lazy_gettext as _l

AGENCY_KIND = {
    "office": _l("Office"),
    "department": _l("Department"),
    "department_equivalent": _l("Department-level agency"),
    "commune": _l("Commune"),
    "ward": _l("Ward"),
    "special_zone": _l("Special zone"),
    "public_service_unit": _l("Public service unit"),
    "state_enterprise": _l("State enterprise"),
    "other": _l("Other"),
}
DOC_TYPE = {
    "official_letter": _l("Official letter"),
    "decision": _l("Decision"),
    "directive": _l("Directive"),
    "notice": _l("Notice"),
    "plan": _l("Plan"),
    "report": _l("Report"),
    "proposal": _l("Proposal"),
    "programme": _l("Programme"),
    "telegram": _l("Official telegram"),
    "invitation": _l("Invitation"),
}
ISSUER = {
    "committee": _l("Provincial People's Committee"),
    "chairman": _l("Chairman of the Provincial People's Committee"),
    "higher_authority": _l("Higher authority"),
}
URGENCY = {
    "normal": _l("Normal"),
    "urgent": _l("Urgent"),
    "very_urgent": _l("Very urgent"),
    "flash": _l("Flash"),
}
SECRECY = {
    "none": _l("Not classified"),
    "confidential": _l("Confidential"),
    "secret": _l("Secret"),
    "top_secret": _l("Top secret"),
}
SOURCE = {
    "work_program": _l("Work programme"),
    "meeting_conclusion": _l("Conclusion of a regular meeting"),
    "ad_hoc": _l("Ad hoc direction"),
}
TASK_STATUS = {
    "draft": _l("Draft"),
    "assigned": _l("Sent"),
    "in_progress": _l("In progress"),
    "returned": _l("Returned"),
    "reported": _l("Result reported"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
}
ENTRY_STATE = {
    "pending": _l("Not sent yet"),
    "late_pending": _l("Not sent, late"),
    "on_time": _l("Entered on time"),
    "late": _l("Entered late"),
}


def choices(mapping):
    return [(key, label) for key, label in mapping.items()]

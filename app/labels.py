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
ACTION = {
    "send": _l("send"),
    "receive": _l("receive"),
    "return": _l("return"),
    "report": _l("report the result of"),
    "confirm": _l("confirm"),
    "refuse": _l("refuse the result of"),
    "withdraw": _l("withdraw"),
}
ACTION_BUTTON = {
    "send": _l("Send to the lead agency"),
    "receive": _l("Receive the task"),
    "return": _l("Return the task"),
    "report": _l("Submit the result"),
    "confirm": _l("Confirm the result"),
    "refuse": _l("Refuse the result"),
    "withdraw": _l("Withdraw the task"),
}
HISTORY_ACTION = {
    "create": _l("Created"),
    "update": _l("Corrected"),
    "send": _l("Task sent to the lead agency"),
    "receive": _l("Received by the lead agency"),
    "return": _l("Returned with feedback"),
    "report": _l("Result submitted"),
    "confirm": _l("Result confirmed"),
    "refuse": _l("Result refused"),
    "withdraw": _l("Withdrawn"),
    "extension": _l("Extension approved"),
}
FEEDBACK_REASON = {
    "content_wrong": _l("The content of the task is not accurate"),
    "not_competent": _l("Not within the agency's functions and powers"),
    "data_mismatch": _l("The data do not match"),
}
EXTENSION_STATUS = {
    "pending": _l("Waiting for the Chairman"),
    "approved": _l("Approved"),
    "refused": _l("Refused"),
}
UPDATE_KIND = {
    "progress": _l("Progress update"),
    "contribution": _l("Contribution of a coordinating agency"),
    "result": _l("Result submitted"),
}
COMPLETION = {"on_time": _l("Completed on time"), "late": _l("Completed late")}
ENTRY_STATE = {
    "pending": _l("Not sent yet"),
    "late_pending": _l("Not sent, late"),
    "on_time": _l("Entered on time"),
    "late": _l("Entered late"),
}


def choices(mapping):
    return [(key, label) for key, label in mapping.items()]

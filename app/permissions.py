"""Who may do what, as data (SPEC §1). `flask roles sync` makes the database
match this table exactly; the row-level rule (which tasks) is app.access.

Each entry is (permission, view or menu). FAB names view permissions after the
view class (can_list on TaskView) and API permissions after the API class
(can_get on TaskApi); menu_access entries name the menu items.
"""
from __future__ import annotations

from app.domain.vocabulary import Role

SELF_SERVICE = [
    ("can_userinfo", "AppUserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("menu_access", "Tasks"),
    ("menu_access", "Task list"),
    ("menu_access", "Documents"),
    ("menu_access", "Agencies"),
]

READ_TASKS = [
    ("can_list", "ReportsView"),
    ("can_list", "EvaluationView"),
    ("menu_access", "Reports"),
    ("menu_access", "Periodic reports"),
    ("menu_access", "Evaluation"),
    ("can_get", "ReportsApi"),
    ("can_list", "NotificationView"),
    ("can_list", "DelayReportView"),
    ("can_list", "LetterView"),
    ("menu_access", "Monitoring"),
    ("menu_access", "Delay reports"),
    ("menu_access", "Urging letters"),
    ("can_get", "DelayReportApi"),
    ("can_get", "UrgingLetterApi"),
    ("can_list", "TaskView"),
    ("can_show", "TaskView"),
    ("can_export", "TaskView"),
    ("can_act", "TaskView"),  # which action, on which task: app.domain.lifecycle
    ("can_list", "DocumentView"),
    ("can_show", "DocumentView"),
    ("can_download", "AttachmentView"),
    ("can_list", "AgencyView"),
    ("can_show", "AgencyView"),
    ("can_get", "TaskApi"),
    ("can_get", "DocumentApi"),
    ("can_get", "AgencyApi"),
    ("can_get", "CalendarApi"),
    ("can_act", "TaskApi"),  # which action, on which task: app.domain.lifecycle
]

SEE_PROVINCE = [
    ("can_consolidate", "ReportsView"),
    ("can_list", "OverdueView"),
    ("menu_access", "Overdue tasks"),
    ("can_get", "ExtensionRequestApi"),
    ("can_list", "ExtensionView"),
    ("menu_access", "Extension requests"),
    ("can_list", "LateEntryView"),
    ("menu_access", "Late entries"),
    ("can_list", "CalendarView"),
    ("menu_access", "Administration"),
    ("menu_access", "Working calendar"),
]

OFFICE_WORK = [
    ("can_compute", "EvaluationView"),
    ("can_add", "DelayReportView"),  # reports received on paper
    ("can_handle", "DelayReportView"),
    ("can_urge", "LetterView"),
    ("can_remind", "ReportsView"),  # late periodic reports: Office work
    ("can_sweep", "JobsView"),
    ("can_post", "DelayReportApi"),
    ("can_add", "DocumentView"),
    ("can_edit", "DocumentView"),
    ("can_edit", "TaskView"),
    ("can_post", "TaskApi"),
    ("can_put", "TaskApi"),
    ("can_post", "DocumentApi"),
    ("can_put", "DocumentApi"),
    ("menu_access", "Enter a document"),
]

# Art. 19.3: heads of agencies tell the Office when another agency is late.
REPORT_DELAYS = [
    ("can_add", "DelayReportView"),
    ("can_post", "DelayReportApi"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Admin is given every permission FAB knows, see app.security.sync_roles.
    Role.Admin.value: [],  # includes can_weights on EvaluationView: the Admin sets the weights
    Role.OfficeLeader.value: SELF_SERVICE + READ_TASKS + SEE_PROVINCE + OFFICE_WORK,
    Role.OfficeOfficial.value: SELF_SERVICE + READ_TASKS + SEE_PROVINCE + OFFICE_WORK,
    Role.Chairman.value: SELF_SERVICE + READ_TASKS + SEE_PROVINCE + [
        ("can_decide", "ExtensionView"), ("can_decide", "ExtensionRequestApi")],
    Role.AgencyHead.value: SELF_SERVICE + READ_TASKS + REPORT_DELAYS,
    Role.AgencyStaff.value: SELF_SERVICE + READ_TASKS,
    Role.CommuneChair.value: SELF_SERVICE + READ_TASKS + REPORT_DELAYS,
    Role.WorkingGroupMember.value: SELF_SERVICE + READ_TASKS,
    # FAB's role for anonymous visitors: nothing but the sign-in page.
    "Public": [],
}

# Intake (issue 12): incoming documents from the document system (edXML) and tasks from Excel.
INTAKE_OFFICE = [
    ("can_post", "IntakeApi"),
    ("can_get", "IntakeApi"),
    ("can_dismiss", "IntakeApi"),
    ("can_decide", "IntakeApi"),
    ("can_status", "IntakeApi"),
    ("can_list", "IncomingView"),
    ("can_upload", "IncomingView"),
    ("can_dismiss", "IncomingView"),
    ("can_register", "IncomingView"),
    ("can_decide", "IncomingView"),
    ("menu_access", "Incoming documents"),
    ("can_import", "TaskImportView"),
    ("can_post", "TaskImportApi"),
    ("menu_access", "Import from Excel"),
]
ROLE_PERMISSIONS[Role.OfficeLeader.value] = ROLE_PERMISSIONS[Role.OfficeLeader.value] + INTAKE_OFFICE
ROLE_PERMISSIONS[Role.OfficeOfficial.value] = ROLE_PERMISSIONS[Role.OfficeOfficial.value] + INTAKE_OFFICE
# The document system's service account: it posts messages and reads their status reply.
ROLE_PERMISSIONS[Role.Connector.value] = [("can_post", "IntakeApi"), ("can_status", "IntakeApi")]

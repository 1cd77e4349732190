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

# Mail preferences: every signed-in user chooses how notifications reach them by mail.
SELF_SERVICE += [("can_edit", "MailPreferenceView")]

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

# API documentation (issue 8, finding 12): every role that uses the API reads its
# description (FAB's permission names for the OpenAPI document and Swagger UI).
API_DOCS = [
    ("can_get", "OpenApi"),
    ("can_show", "SwaggerView"),
]
for _role in (Role.OfficeLeader, Role.OfficeOfficial, Role.Chairman, Role.AgencyHead, Role.AgencyStaff,
              Role.CommuneChair, Role.WorkingGroupMember):
    ROLE_PERMISSIONS[_role.value] = ROLE_PERMISSIONS[_role.value] + API_DOCS

# Each action its own permission, not its page's (issue 8, finding 4 generalised;
# tests/integration/test_route_roles.py): writing and submitting an agency's periodic
# report (Art. 19: its head, staff draft), the consolidated report (Art. 20: the Office),
# editing and issuing an urging letter (Art. 18.5: the Office).
WRITE_REPORTS = [("can_write_report", "ReportsView")]
OFFICE_WRITING = [("can_write_consolidated", "ReportsView"), ("can_write", "LetterView")]
for _role in (Role.AgencyHead, Role.AgencyStaff, Role.CommuneChair):
    ROLE_PERMISSIONS[_role.value] = ROLE_PERMISSIONS[_role.value] + WRITE_REPORTS
for _role in (Role.OfficeLeader, Role.OfficeOfficial):
    ROLE_PERMISSIONS[_role.value] = ROLE_PERMISSIONS[_role.value] + OFFICE_WRITING
# Inspections (Chương V, Art. 13–17). Which inspection, in which state, by whom inside it (the
# Working Group's leader and members can be any users): app.domain.inspections.
INSPECTION_READ = [
    ("can_get", "InspectionApi"),
    ("can_list", "InspectionView"),
    ("can_show", "InspectionView"),
    ("can_file", "InspectionView"),
    ("menu_access", "Inspections"),
]
# A member's findings, the leader's plan, requests and result report, an inspected agency's report.
INSPECTION_ACT = [
    ("can_finding", "InspectionApi"),
    ("can_report", "InspectionApi"),
    ("can_act", "InspectionView"),
]
INSPECTION_DRAFT = [("can_post", "InspectionApi"), ("can_add", "InspectionView")]  # Art. 13.1, 13.2
INSPECTION_PLAN = [("can_plan", "InspectionView")]  # the year's plan, drafted by the Office (Art. 13.1.a)
INSPECTION_ISSUE = [("can_issue", "InspectionApi"), ("can_issue", "InspectionView")]  # Art. 15.1, 15.4
for _role, _extra in {
    Role.OfficeLeader.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_DRAFT + INSPECTION_PLAN,
    Role.OfficeOfficial.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_DRAFT + INSPECTION_PLAN,
    Role.Chairman.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_ISSUE,
    Role.AgencyHead.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_DRAFT + INSPECTION_ISSUE,
    Role.CommuneChair.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_DRAFT + INSPECTION_ISSUE,
    Role.AgencyStaff.value: INSPECTION_READ + INSPECTION_ACT + INSPECTION_DRAFT,
    Role.WorkingGroupMember.value: INSPECTION_READ + INSPECTION_ACT,
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra
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
ROLE_PERMISSIONS[Role.Connector.value] = [("can_post", "IntakeApi"), ("can_status", "IntakeApi")] + API_DOCS

# Asking for direction (issue 13): ad-hoc report requests, difficulties and disagreements,
# proposals to the Chairman and his directions. Which row, state and head/staff: app.domain.direction.
DIRECTION_READ = [
    ("can_list", "ReportRequestView"), ("menu_access", "Ad-hoc reports"), ("can_get", "ReportRequestApi"),
    ("can_list", "IssueView"), ("menu_access", "Difficulties"),
]
DIRECTION_ASK = [
    ("can_add", "ReportRequestView"), ("can_remind", "ReportRequestView"), ("can_download", "ReportRequestView"),
    ("can_post", "ReportRequestApi"), ("can_remind", "ReportRequestApi"),
]
DIRECTION_ANSWER = [("can_answer", "ReportRequestView"), ("can_answer", "ReportRequestApi")]
DIRECTION_DIFFICULTY = [("can_add", "IssueView"), ("can_post", "DifficultyApi")]
DIRECTION_PROPOSALS = [
    ("can_list", "ProposalView"), ("menu_access", "Proposals to the Chairman"), ("can_get", "ProposalApi"),
]
DIRECTION_OFFICE = [
    ("can_handle", "IssueView"), ("can_add", "ProposalView"), ("can_carry_out", "ProposalView"),
    ("can_post", "ProposalApi"), ("can_carry_out", "ProposalApi"), ("can_climb", "LadderView"),
]
DIRECTION_ROLES = {
    Role.OfficeLeader.value: DIRECTION_READ + DIRECTION_ASK + DIRECTION_DIFFICULTY + DIRECTION_PROPOSALS
    + DIRECTION_OFFICE + [("can_submit", "ProposalView"), ("can_submit", "ProposalApi")],
    Role.OfficeOfficial.value: DIRECTION_READ + DIRECTION_ASK + DIRECTION_DIFFICULTY + DIRECTION_PROPOSALS
    + DIRECTION_OFFICE,
    Role.Chairman.value: DIRECTION_READ + [p for p in DIRECTION_ASK if p[0] != "can_remind"]
    + DIRECTION_PROPOSALS + [("can_direct", "ProposalView"), ("can_direct", "ProposalApi")],
    Role.AgencyHead.value: DIRECTION_READ + DIRECTION_ANSWER + DIRECTION_DIFFICULTY,
    Role.AgencyStaff.value: DIRECTION_READ + DIRECTION_ANSWER,
    Role.CommuneChair.value: DIRECTION_READ + DIRECTION_ANSWER + DIRECTION_DIFFICULTY,
    Role.WorkingGroupMember.value: [],
}
for _role, _permissions in DIRECTION_ROLES.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _permissions

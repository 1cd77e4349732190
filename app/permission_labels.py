"""Vietnamese words for the role matrix (app/permissions.py) and for FAB's
roles and permissions as the Admin reads them (issue 9: "role names shown in
Vietnamese, the identifiers stay"). Presentation only: nothing here decides
who may do what."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ROLE_LABEL = {  # SPEC §1
    "Admin": _l("System administrator"),
    "OfficeLeader": _l("Leader of the Provincial People's Committee Office"),
    "OfficeOfficial": _l("Office official assigned to track tasks"),
    "Chairman": _l("Chairman / Vice-chairman of the Provincial People's Committee"),
    "AgencyHead": _l("Head of an agency or unit"),
    "AgencyStaff": _l("Staff of an agency"),
    "CommuneChair": _l("Chairman of a commune, ward or special zone"),
    "WorkingGroupMember": _l("Member of the Working Group"),
    "Connector": _l("Connection account (document system)"),
    "Public": _l("Visitor not signed in"),
}


def role_label(role) -> str:
    """"Quản trị hệ thống (Admin)": the Vietnamese label, then the identifier."""
    name = getattr(role, "name", role)
    label = ROLE_LABEL.get(name)
    return f"{label} ({name})" if label else str(name)


def roles_text(roles) -> str:
    return "; ".join(role_label(r) for r in roles or [])


# What a permission lets one do, whatever the screen; specific pairs below win.
PERMISSION_LABEL = {
    "can_list": _l("see the list"),
    "can_show": _l("see the details"),
    "can_add": _l("add"),
    "can_edit": _l("edit"),
    "can_delete": _l("delete"),
    "can_download": _l("download"),
    "can_export": _l("export to Excel"),
    "can_get": _l("read (API)"),
    "can_post": _l("create (API)"),
    "can_put": _l("update (API)"),
    "can_info": _l("read the description (API)"),
    "can_act": _l("take the lifecycle steps its role allows"),
    "can_decide": _l("approve or refuse"),
    "can_handle": _l("handle (urge or report to the Chairman)"),
    "can_urge": _l("draft urging letters"),
    "can_sweep": _l("run the deadline sweep"),
    "can_manage": _l("run failed jobs again"),
    "can_consolidate": _l("see the consolidated report"),
    "can_remind": _l("remind agencies of late reports"),
    "can_compute": _l("compute the evaluation"),
    "can_weights": _l("set the evaluation weights"),
    "can_chart": _l("see the chart"),
    "can_userinfo": _l("see one's own profile"),
    "can_this_form_get": _l("open the form"),
    "can_this_form_post": _l("submit the form"),
    "resetmypassword": _l("change one's own password"),
    "resetpasswords": _l("reset users' passwords"),
    "userinfoedit": _l("edit one's own profile"),
    "unlock": _l("unlock sign-in"),
    "copyrole": _l("copy a role"),
    "menu_access": _l("see the menu item"),
    "can_update_role_groups": _l("change the groups of a role"),
    "can_list_role_permissions": _l("list the permissions of a role"),
    "can_add_role_permissions": _l("add permissions to a role"),
    "can_update_role_users": _l("change the users of a role"),
}

VIEW_LABEL = {
    "TaskView": _l("Tasks"),
    "TaskApi": _l("Tasks"),
    "DocumentView": _l("Documents"),
    "DocumentApi": _l("Documents"),
    "AgencyView": _l("Agencies"),
    "AgencyApi": _l("Agencies"),
    "AttachmentView": _l("Attached files"),
    "LateEntryView": _l("Documents entered late (Art. 6)"),
    "ExtensionView": _l("Extension requests"),
    "ExtensionRequestApi": _l("Extension requests"),
    "CalendarView": _l("Working calendar"),
    "CalendarApi": _l("Working calendar"),
    "OverdueView": _l("Overdue tasks to propose (Art. 5.3.d)"),
    "DelayReportView": _l("Delay reports"),
    "DelayReportApi": _l("Delay reports"),
    "LetterView": _l("Urging letters"),
    "UrgingLetterApi": _l("Urging letters"),
    "JobsView": _l("Background jobs"),
    "NotificationView": _l("Notifications"),
    "MailPreferenceView": _l("Notifications by mail"),
    "ReportsView": _l("Periodic reports"),
    "ReportsApi": _l("Periodic reports"),
    "EvaluationView": _l("Evaluation of the agencies"),
    "RolePermissionsView": _l("Permissions of the roles"),
    "AppUserDBModelView": _l("Users"),
    "User": _l("Users"),
    "RoleModelView": _l("Roles"),
    "Role": _l("Roles"),
    "UserGroupModelView": _l("Groups"),
    "Group": _l("Groups"),
    "UserInfoEditView": _l("One's own profile"),
    "ResetMyPasswordView": _l("One's own password"),
    "ResetPasswordView": _l("Users' passwords"),
    "UserStatsChartView": _l("User statistics"),
    "PermissionModelView": _l("Base permissions"),
    "Permission": _l("Base permissions"),
    "ViewMenuModelView": _l("Screens and menus"),
    "ViewMenu": _l("Screens and menus"),
    "PermissionViewModelView": _l("Permissions on screens and menus"),
    "PermissionViewMenu": _l("Permissions on screens and menus"),
    "OpenApi": _l("API description"),
    "SwaggerView": _l("API documentation page"),
    "MenuApi": _l("Menu (API)"),
    # The other chapters' screens (intake, inspections, asking for direction), by their own labels.
    "IncomingView": _l("Incoming documents"),
    "IntakeApi": _l("Incoming documents"),
    "TaskImportView": _l("Import tasks from Excel"),
    "TaskImportApi": _l("Import tasks from Excel"),
    "InspectionView": _l("Inspections"),
    "InspectionApi": _l("Inspections"),
    "ReportRequestView": _l("Ad-hoc report requests"),
    "ReportRequestApi": _l("Ad-hoc report requests"),
    "ProposalView": _l("Proposals to the Chairman"),
    "ProposalApi": _l("Proposals to the Chairman"),
    "IssueView": _l("Difficulties and disagreements"),
    "DifficultyApi": _l("Difficulties and disagreements"),
    "LadderView": _l("Next urging step for many overdue tasks"),
}

# Menu items are named in English (the add_view names); most share their label's msgid.
MENU_LABEL = {
    "Late entries": _l("Documents entered late (Art. 6)"),
    "Overdue tasks": _l("Overdue tasks to propose (Art. 5.3.d)"),
    "Monitoring": _l("Monitoring and urging"),
    "Reports": _l("Reports and evaluation"),
    "Evaluation": _l("Evaluation of the agencies"),
    "Security": _l("Security"),
    "List Users": _l("List Users"),
    "List Roles": _l("List Roles"),
    "List Groups": _l("List Groups"),
    "User's Statistics": _l("User statistics"),
    "Base Permissions": _l("Base permissions"),
    "Views/Menus": _l("Screens and menus"),
    "Permission on Views/Menus": _l("Permissions on screens and menus"),
    "Role permissions": _l("Permissions of the roles"),
    "Import from Excel": _l("Import tasks from Excel"),
    "Difficulties": _l("Difficulties and disagreements"),
    "Ad-hoc reports": _l("Ad-hoc report requests"),
}

# Pairs whose meaning is more than "verb + screen".
PAIR_LABEL = {
    ("can_act", "TaskView"): _l("Take the steps of a task its role allows (receive, return, report, confirm…)"),
    ("can_act", "TaskApi"): _l("Take the steps of a task its role allows, through the API"),
    ("can_decide", "ExtensionView"): _l("Approve or refuse extension requests (Art. 5.2.đ)"),
    ("can_decide", "ExtensionRequestApi"): _l("Approve or refuse extension requests through the API"),
    ("can_add", "DelayReportView"): _l("Report that another agency is late (Art. 19.3)"),
    ("can_post", "DelayReportApi"): _l("Report that another agency is late, through the API"),
    ("can_handle", "DelayReportView"): _l("Handle delay reports: urge, or report to the Chairman (Art. 18.5)"),
    ("can_urge", "LetterView"): _l("Draft urging letters for overdue tasks"),
    ("can_consolidate", "ReportsView"): _l("See the consolidated periodic report of the province"),
    ("can_remind", "ReportsView"): _l("Remind the agencies whose periodic report is late"),
    ("can_compute", "EvaluationView"): _l("Compute the evaluation of the agencies"),
    ("can_weights", "EvaluationView"): _l("Set the weights of the evaluation"),
    ("can_sweep", "JobsView"): _l("Run the deadline sweep now"),
    ("can_edit", "MailPreferenceView"): _l("Choose how notifications reach oneself by mail"),
    ("can_userinfo", "AppUserDBModelView"): _l("See one's own profile"),
    ("can_this_form_get", "UserInfoEditView"): _l("Open the form to edit one's own profile"),
    ("can_this_form_post", "UserInfoEditView"): _l("Save one's own profile"),
    ("can_this_form_get", "ResetMyPasswordView"): _l("Open the form to change one's own password"),
    ("can_this_form_post", "ResetMyPasswordView"): _l("Change one's own password"),
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def subject_label(view: str) -> str:
    label = VIEW_LABEL.get(view) or MENU_LABEL.get(view)
    if label is None:
        label = _(view)  # a menu item whose name is its label's msgid
    return str(label)


def permission_label(permission: str, view: str) -> str:
    """One permission in a sentence: "Xem danh sách: Nhiệm vụ"."""
    pair = PAIR_LABEL.get((permission, view))
    if pair is not None:
        return str(pair)
    if permission == "menu_access":
        return _("Menu: %(item)s", item=subject_label(view))
    verb = PERMISSION_LABEL.get(permission)
    verb = str(verb) if verb is not None else permission
    suffix = _(" (API)") if view.endswith("Api") and "(API)" not in verb else ""
    return f"{_cap(verb)}: {subject_label(view)}{suffix}"


def permission_view_label(permission_view) -> str:
    return permission_label(permission_view.permission.name, permission_view.view_menu.name)


# Inspections (Chương V, Art. 13–17).
VIEW_LABEL.update({
    "InspectionView": _l("Inspections"),
    "InspectionApi": _l("Inspections"),
})
PAIR_LABEL.update({
    ("can_add", "InspectionView"): _l("Draft inspection decisions (Art. 13.1, 13.2)"),
    ("can_post", "InspectionApi"): _l("Draft inspection decisions through the API"),
    ("can_issue", "InspectionView"): _l("Issue or send back inspection decisions (Art. 15.1, 15.4)"),
    ("can_issue", "InspectionApi"): _l("Issue inspection decisions through the API"),
    ("can_act", "InspectionView"): _l("Take the steps of an inspection one's part allows (findings, plan, reports)"),
    ("can_finding", "InspectionApi"): _l("Record findings of an inspection through the API"),
    ("can_report", "InspectionApi"): _l("Submit an inspection's result report through the API"),
    ("can_file", "InspectionView"): _l("Download an inspection's decision and result report"),
    ("can_plan", "InspectionView"): _l("Draft the year's inspection plan (Art. 13.1.a)"),
})

"""Every registered route × every role (issue 8, finding 4 generalised): each page and API
path but the sign-in refuses an anonymous visitor (to the sign-in page, or 401), and each
action route lets exactly the roles of the table below past its permission (SPEC §1,
app/permissions.py); every other role gets 403. Which action on which row is then the
domain's (app.domain.lifecycle, app.access) and is tested with the rows themselves in
tests/integration/test_lifecycle*.py and test_access.py.

A new action route fails here until it is declared in ACTIONS."""
from __future__ import annotations

import re

import pytest

from app.guards import PUBLIC_ENDPOINTS
from tests.conftest import PASSWORD, USERS, agency_id

ADMIN = "Admin"
LEADER, OFFICIAL, CHAIRMAN = "OfficeLeader", "OfficeOfficial", "Chairman"
HEAD, STAFF, COMMUNE, WG = "AgencyHead", "AgencyStaff", "CommuneChair", "WorkingGroupMember"
CONNECTOR = "Connector"  # the document system's account: posts edXML messages, nothing else
EVERYONE = frozenset({ADMIN, LEADER, OFFICIAL, CHAIRMAN, HEAD, STAFF, COMMUNE, WG})
OFFICE = frozenset({ADMIN, LEADER, OFFICIAL})  # Office work (Art. 5.1, 5.3, 18, 20)
ONLY_ADMIN = frozenset({ADMIN})
NOBODY = frozenset()  # FAB's generated route, switched off for every role

# endpoint -> roles that may send it (a non-GET method). The Admin holds every permission.
ACTIONS: dict[str, frozenset[str]] = {
    # The task's daily work: which action on which task is app.domain.lifecycle's.
    "TaskView.act": EVERYONE,
    "TaskView.post_update": EVERYONE,
    "TaskView.publish": EVERYONE,
    "TaskView.ask_extension": EVERYONE,
    "TaskView.record_extension": EVERYONE,
    "TaskApi.transition": EVERYONE,
    "TaskApi.post_update": EVERYONE,
    "TaskApi.extension_request": EVERYONE,
    # Entering and correcting documents and tasks, sending them (Art. 5.1, 6): the Office.
    "DocumentView.add": OFFICE,
    "DocumentView.edit": OFFICE,
    "DocumentView.send_all": OFFICE,
    "TaskView.edit": OFFICE,
    "DocumentApi.post": OFFICE,
    "DocumentApi.put": OFFICE,
    "DocumentApi.send": OFFICE,
    "TaskApi.post": OFFICE,
    "TaskApi.put": OFFICE,
    "DocumentView.delete": NOBODY,  # history is never deleted (SPEC §4.3)
    "TaskView.add": NOBODY,  # tasks are entered with their document
    "TaskView.delete": NOBODY,
    # Extensions: only the Chairman decides (Art. 5.2.đ).
    "ExtensionView.decide": frozenset({ADMIN, CHAIRMAN}),
    "ExtensionRequestApi.decision": frozenset({ADMIN, CHAIRMAN}),
    # Delay reports (Art. 18.5, 19.3): heads and commune chairs file them, the Office too (paper);
    # only the Office urges or escalates.
    "DelayReportView.new": OFFICE | {HEAD, COMMUNE},
    "DelayReportApi.post": OFFICE | {HEAD, COMMUNE},
    "DelayReportView.urge": OFFICE,
    "DelayReportView.escalate": OFFICE,
    # Urging letters and reminders: Office work (Art. 18.5; issue 8, finding 4).
    "LetterView.urge_overdue": OFFICE,
    "LetterView.show": OFFICE,  # POST edits or issues the letter
    "ReportsView.remind": OFFICE,
    # Periodic reports: the agency writes its own (Art. 19), the Office the consolidated one (Art. 20).
    "ReportsView.agency": frozenset({ADMIN, HEAD, STAFF, COMMUNE}),
    "ReportsView.consolidated": OFFICE,
    # Evaluation (Art. 12, 22): the Office computes, the Admin sets the weights.
    "EvaluationView.compute": OFFICE,
    "EvaluationView.weights": ONLY_ADMIN,
    # Jobs: the Office may run the sweep again; the Admin manages the queue.
    "JobsView.sweep": OFFICE,
    "JobsView.requeue": ONLY_ADMIN,
    # Each user's own notifications and account.
    "NotificationView.read": EVERYONE,
    "NotificationView.read_all": EVERYONE,
    "ResetMyPasswordView.this_form_post": EVERYONE,
    "UserInfoEditView.this_form_post": EVERYONE,
    # Administration: agencies, working calendar, users and roles.
    "AgencyView.add": ONLY_ADMIN,
    "AgencyView.edit": ONLY_ADMIN,
    "AgencyView.delete": NOBODY,  # tasks refer to agencies: deactivate instead
    "AgencyApi.post": ONLY_ADMIN,
    "AgencyApi.put": ONLY_ADMIN,
    "CalendarView.add": ONLY_ADMIN,
    "CalendarView.delete": ONLY_ADMIN,
    "CalendarView.edit": NOBODY,  # a change is deleted and added again
    "CalendarApi.add_override": ONLY_ADMIN,
    "ResetPasswordView.this_form_post": ONLY_ADMIN,
    "AppUserDBModelView.add": ONLY_ADMIN,
    "AppUserDBModelView.edit": ONLY_ADMIN,
    "AppUserDBModelView.delete": ONLY_ADMIN,
    "RoleModelView.add": ONLY_ADMIN,
    "RoleModelView.edit": ONLY_ADMIN,
    "RoleModelView.delete": ONLY_ADMIN,
    "UserGroupModelView.add": ONLY_ADMIN,
    "UserGroupModelView.edit": ONLY_ADMIN,
    "UserGroupModelView.delete": ONLY_ADMIN,
    "MailPreferenceView.index": EVERYONE,  # each user's own mail choices
    # Intake (issue 12): the Office decides on incoming documents; the Connector posts them.
    "IntakeApi.post_edxml": OFFICE | {CONNECTOR},
    "IntakeApi.decide": OFFICE,
    "IntakeApi.dismiss": OFFICE,
    "IncomingView.upload": OFFICE,
    "IncomingView.register": OFFICE,
    "IncomingView.dismiss": OFFICE,
    "IncomingView.decide": OFFICE,
    # Tasks imported from Excel: entering tasks is Office work (Art. 5.1).
    "TaskImportView.new_preview": OFFICE,
    "TaskImportView.new_import": OFFICE,
    "TaskImportView.preview": OFFICE,
    "TaskImportView.run_import": OFFICE,
    "TaskImportApi.import_document": OFFICE,
    "TaskImportApi.import_tasks": OFFICE,
    # Inspections (Chương V): who inside an inspection is app.domain.inspections'.
    "InspectionView.add": OFFICE | {HEAD, STAFF, COMMUNE},  # the Office (Art. 13.1) or an agency's own (13.2)
    "InspectionApi.post": OFFICE | {HEAD, STAFF, COMMUNE},
    "InspectionView.submit": OFFICE | {HEAD, STAFF, COMMUNE},
    "InspectionApi.submit": OFFICE | {HEAD, STAFF, COMMUNE},
    "InspectionView.issue": frozenset({ADMIN, CHAIRMAN, HEAD, COMMUNE}),  # Art. 15: the Chairman, a head for its own
    "InspectionApi.issue": frozenset({ADMIN, CHAIRMAN, HEAD, COMMUNE}),
    "InspectionView.send_back": frozenset({ADMIN, CHAIRMAN, HEAD, COMMUNE}),
    "InspectionApi.send_back": frozenset({ADMIN, CHAIRMAN, HEAD, COMMUNE}),
    "InspectionView.step": EVERYONE,
    "InspectionView.edit": OFFICE | {HEAD, STAFF, COMMUNE},  # the draft, by whoever drafts it
    "InspectionView.plan_item": OFFICE,  # the year's plan (Art. 13.1): the Office drafts it
    "InspectionView.plan_item_remove": OFFICE,
    "InspectionView.plan_submit": OFFICE,
    "InspectionView.plan_decide": frozenset({ADMIN, CHAIRMAN, HEAD, COMMUNE}),  # who issues decides it
    "InspectionView.finding": EVERYONE,  # a member of the Working Group (Art. 17.3)
    "InspectionApi.findings": EVERYONE,
    "InspectionView.report": EVERYONE,  # its leader or the Office (Art. 17)
    "InspectionApi.report": EVERYONE,
    "InspectionView.agency_report": EVERYONE,  # an inspected agency's own report
    "InspectionView.agency_report_file_remove": EVERYONE,  # its staff or head, while a draft (Art. 16.3)
    # Asking for direction (issue 13).
    "ReportRequestView.new": OFFICE | {CHAIRMAN},  # ad-hoc reports (Art. 18.4, 19.1)
    "ReportRequestApi.post": OFFICE | {CHAIRMAN},
    "ReportRequestView.remind": OFFICE,
    "ReportRequestApi.remind": OFFICE,
    "ReportRequestView.answer": frozenset({ADMIN, HEAD, STAFF, COMMUNE}),  # staff draft, the head submits
    "ReportRequestApi.answer": frozenset({ADMIN, HEAD, STAFF, COMMUNE}),
    "IssueView.new": OFFICE | {HEAD, COMMUNE},  # a difficulty (Art. 19.2)
    "DifficultyApi.difficulty": OFFICE | {HEAD, COMMUNE},
    "DifficultyApi.disagreement": OFFICE | {HEAD, COMMUNE},  # the service lets only the Office record one
    "IssueView.answer": OFFICE,
    "LadderView.climb": OFFICE,
    "ProposalView.new": OFFICE,
    "ProposalApi.post": OFFICE,
    "ProposalView.submit": frozenset({ADMIN, LEADER}),  # the Office leader approves it
    "ProposalApi.submit": frozenset({ADMIN, LEADER}),
    "ProposalView.direct": frozenset({ADMIN, CHAIRMAN}),  # the Chairman's direction
    "ProposalApi.direction": frozenset({ADMIN, CHAIRMAN}),
    "ProposalView.transfer": OFFICE,
    "ProposalApi.transfer": OFFICE,
}
# FAB's security API (users, roles, groups, permissions): the Admin's.
SECURITY_API = re.compile(r"^(UserApi|RoleApi|GroupApi|PermissionApi|ViewMenuApi|PermissionViewMenuApi)\.")
# FAB's row actions: reached only with an action name the view declares (else 404).
ROW_ACTIONS = re.compile(r"\.(action|action_post)$")
# The sign-in itself.
SIGN_IN = {"AuthDBView.login", "SecurityApi.login", "SecurityApi.refresh"}

# The API's answer when the permission check refuses (app/api/messages.py).
GATE = "Vai trò của anh/chị không được làm việc này."

ROLE_OF = {username: role for username, (role, _agency) in USERS.items()}


def _routes(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in ("static", "appbuilder.static")),
                  key=lambda r: (r.rule, r.endpoint))


def _url(rule, ids: dict[str, int]) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        if name in ids:
            return str(ids[name])
        if name == "year":
            return "2026"
        if name == "number":
            return "11"
        if converter == "int":
            return "999999"
        return {"version": "v1", "kind": "monthly", "locale": "vi", "filename": "x.pdf"}.get(name, "x")

    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", value, rule.rule)


def _token(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def _send(client, rule, method, url, headers):
    if rule.rule.startswith("/api/"):
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={})


@pytest.fixture
def rows(app, make_document):
    """A real letter (the letter page answers 404 before anything for an unknown id)."""
    from app.access import viewer_for
    from app.services import letters
    from tests.conftest import user

    _document_id, (task_id,) = make_document([{"lead": "STC"}])
    with app.test_request_context():
        letter = letters.draft_letter(agency_id("STC"), [task_id], viewer=viewer_for(user("officer")),
                                      batch_key="route-roles")
        return {"letter_id": letter.id, "stc": agency_id("STC")}


def test_every_action_route_is_declared(app):
    undeclared = sorted({r.endpoint for r in _routes(app) if r.methods - {"GET", "HEAD", "OPTIONS"}
                         and r.endpoint not in ACTIONS and r.endpoint not in SIGN_IN
                         and not SECURITY_API.match(r.endpoint) and not ROW_ACTIONS.search(r.endpoint)})
    assert undeclared == [], "declare who may send these in ACTIONS"
    stale = sorted(set(ACTIONS) - {r.endpoint for r in _routes(app)})
    assert stale == []


def test_an_anonymous_visitor_is_refused_everywhere_but_the_sign_in(app, client):
    accepted = []
    for rule in _routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = _send(client, rule, method, _url(rule, {}), {})
            if rule.rule.startswith("/api/"):
                refused = answer.status_code == 401
            else:
                refused = answer.status_code == 302 and "/login/" in answer.headers["Location"]
            if not refused:
                accepted.append(f"{method} {rule.rule} -> {answer.status_code}")
    assert accepted == []


@pytest.mark.parametrize("username", list(USERS))
def test_each_role_sends_exactly_the_actions_of_the_table(app, client, auth, rows, username):
    role = ROLE_OF[username]
    auth.login(username)
    headers = _token(client, username)
    wrong = []
    for rule in _routes(app):
        methods = rule.methods - {"GET", "HEAD", "OPTIONS"}
        if not methods or rule.endpoint in SIGN_IN:
            continue
        if ROW_ACTIONS.search(rule.endpoint):
            allowed = None  # checked below: an unknown action name is 404 for everyone
        elif SECURITY_API.match(rule.endpoint):
            allowed = role == ADMIN
        else:
            allowed = role in ACTIONS[rule.endpoint]
        url = _url(rule, rows)
        if rule.endpoint == "ReportsView.agency":
            url += f"?agency_id={rows['stc']}"  # the Office names the agency
        for method in sorted(methods):
            answer = _send(client, rule, method, url, headers)
            status = answer.status_code
            # Refused by the route's permission (not by the service, past it, for this empty request).
            gate = status == 403 and (not rule.rule.startswith("/api/") or answer.get_json()["message"] == GATE)
            if status >= 500:
                wrong.append(f"{method} {rule.rule}: {status}")
            elif allowed is None:
                if status not in (403, 404):
                    wrong.append(f"{method} {rule.rule} (unknown action): {status}")
            elif allowed and gate:
                wrong.append(f"{method} {rule.rule}: refused (403) but the table allows {role}")
            elif not allowed and not gate:
                wrong.append(f"{method} {rule.rule}: {status}, but only {sorted(ACTIONS.get(rule.endpoint, {ADMIN}))}")
    assert wrong == [], f"{username} ({role})"


@pytest.mark.parametrize("username", ["officer", "stc_head", "wg_member"])
def test_no_page_answers_a_server_error_to_any_role(app, client, auth, username):
    auth.login(username)
    headers = _token(client, username)
    errors = []
    for rule in _routes(app):
        if "GET" in rule.methods and rule.endpoint != "AuthDBView.logout":
            answer = client.get(_url(rule, {}), headers=headers if rule.rule.startswith("/api/") else {})
            if answer.status_code >= 500:
                errors.append(f"GET {rule.rule}: {answer.status_code}")
    assert errors == []

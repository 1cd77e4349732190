"""Shared fixtures. Database tests run on SQLite by default and on the real
PostgreSQL in CI (CI=true), or wherever TEST_DATABASE_URL points; in CI an
unreachable server fails the run, it is never skipped."""
from __future__ import annotations

import datetime as dt
import os

import pytest

CI = os.environ.get("CI", "").lower() == "true"
PG_CI_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

PASSWORD = "Test@2026pw"
# username -> (role, agency code)
USERS = {
    "admin": ("Admin", None),
    "leader": ("OfficeLeader", None),
    "officer": ("OfficeOfficial", None),
    "chairman": ("Chairman", None),
    "stc_head": ("AgencyHead", "STC"),
    "stc_staff": ("AgencyStaff", "STC"),
    "snv_head": ("AgencyHead", "SNV"),
    "nhatrang_chair": ("CommuneChair", "22366"),
    "wg_member": ("WorkingGroupMember", "TTT"),
    # Intake (issue 12): the document system's service account.
    "connector": ("Connector", None),
}


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or (PG_CI_URL if CI else "")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    except sa.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {url} is unreachable: {error}", pytrace=False)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from app.security import sync_roles
    from app.services.seeding import create_user, seed_agencies
    from app.extensions import appbuilder

    url = _database_url(tmp_path_factory)
    _reset_database(url)
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app({
        "TESTING": True,
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "AUTH_RATE_LIMITED": False,
        "LOGIN_LIMITS_ENABLED": False,  # on in tests/integration/test_auth_limits.py
        "UPLOAD_FOLDER": str(uploads),
        "SERVER_NAME": "localhost",
    })
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        sync_roles(appbuilder())
        seed_agencies()
        for username, (role, agency) in USERS.items():
            create_user(username=username, password=PASSWORD, role_name=role, agency_code=agency,
                        full_name=f"Test {username}")
    yield app


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Documents, tasks and their history are removed after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from app.extensions import db

    with app.app_context():
        db.session.rollback()
        tables = ["direction_file", "task_issue", "proposal_task", "proposal", "report_answer",
                  "report_request_task", "report_request",  # asking for direction (issue 13)
                  "report_reason", "periodic_report_row", "periodic_report", "evaluation",
                  "notification", "job_run", "delay_report", "urging_letter_task", "urging_letter",
                  "attachment", "task_update", "feedback", "extension_request", "task_coordinating_agency",
                  "change_log", "task", "document",
                  "calendar_override",
                  # one-time form tokens
                  "form_token",
                  # mail preferences
                  "mail_digest_log", "mail_preference"]
        # dashboard tallies (issue 10, migration 0009): TRUNCATE fires no row trigger
        tables += ["task_tally", "task_open_deadline", "task_month_tally"]
        # Inspections (Chương V): children first, before the tasks and agencies they name.
        tables = ["inspection_plan_item_agency", "inspection_plan_item", "inspection_plan", "inspection_report_file",
                  "inspection_agency_report", "inspection_step", "inspection_finding", "inspection_member",
                  "inspection_agency", "inspection"] + tables
        # Intake (issue 12): before document, which they reference.
        tables = ["incoming_attachment", "incoming_message", "incoming_document"] + tables
        if db.engine.dialect.name == "postgresql":
            # TRUNCATE: the append-only trigger refuses DELETE on change_log.
            db.session.execute(db.text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY"))
        else:
            for table in tables:
                db.session.execute(db.text(f"DELETE FROM {table}"))
        db.session.commit()
        from app.services import calendar

        calendar._cached = None


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        self.client.get("/logout/")
        return self.client.post("/login/", data={"username": username, "password": password})

    def logout(self):
        return self.client.get("/logout/")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def agency_id(code: str) -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency

    return db.session.scalar(select(Agency.id).where(Agency.code == code))


def user(username: str):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AppUser

    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def viewer(username: str):
    from app.access import viewer_for

    return viewer_for(user(username))


@pytest.fixture
def make_document(app):
    """Enter a document with tasks through the service, as the Office would."""
    from app.services.register import DocumentInput, TaskInput, create_document

    counter = iter(range(1, 10_000))

    def make(tasks, *, send=True, issued_on=None, urgency="normal", **fields):
        with app.test_request_context():
            issued_on = issued_on or dt.date.today() - dt.timedelta(days=1)
            data = DocumentInput(
                doc_type=fields.pop("doc_type", "official_letter"),
                number=fields.pop("number", f"{next(counter)}/UBND-TH"),
                summary=fields.pop("summary", "V/v triển khai nhiệm vụ"),
                issued_on=issued_on, signer="Nguyễn Văn A", issuer=fields.pop("issuer", "committee"),
                source=fields.pop("source", "ad_hoc"), urgency=urgency, **fields)
            inputs = [TaskInput(content=t.get("content", "Nội dung nhiệm vụ"),
                                lead_agency_id=agency_id(t["lead"]),
                                deadline=t.get("deadline", issued_on + dt.timedelta(days=30)),
                                coordinating_agency_ids=[agency_id(c) for c in t.get("coordinating", [])])
                      for t in tasks]
            document = create_document(data, inputs, viewer=viewer("officer"), send=send)
            return document.id, [t.id for t in document.tasks]

    return make

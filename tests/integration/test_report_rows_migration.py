"""Migration 0040 on a database of its own: the agency reports submitted before keep their
Phụ lục II — copied from the JSON into periodic_report_row in order, the JSON cleared; the
consolidated report's table stays JSON; downgrade writes the same JSON back."""
import json
import os

import sqlalchemy as sa

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
ROWS = [{"task_id": 7, "document": "1/UBND", "issued_on": "2026-10-20", "summary": "Trích yếu", "content": "Một",
         "lead": "Sở Tài chính", "coordinating": "Sở Nội vụ; Sở Xây dựng", "deadline": "2026-11-05",
         "extended_deadline": None, "state": "overdue", "result": ""},
        {"task_id": 3, "document": "2/UBND", "issued_on": "2026-10-21", "summary": "", "content": "Hai",
         "lead": "Sở Tài chính", "coordinating": "", "deadline": "2026-11-01", "extended_deadline": "2026-11-30",
         "state": "extended", "result": "Đã xong một phần"}]
TABLE = [{"agency_id": 1, "agency": "Sở Tài chính", "total": 2}]


def test_0040_moves_the_frozen_rows_into_their_table_and_back(tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    url = os.environ.get("MIGRATION_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'm.db'}"
    app = create_app({"TESTING": True, "ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_FOLDER": str(tmp_path)})
    engine = sa.create_engine(url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0034")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO agency (id, code, name, short_name, kind, active) "
                                 "VALUES (1, 'STC', 'Sở Tài chính', 'STC', 'department', true)"))
            for id_, agency, scope, rows in ((1, 1, "agency:1", ROWS), (2, None, "province", TABLE)):
                conn.execute(sa.text(
                    "INSERT INTO periodic_report (id, scope_key, agency_id, period_key, kind, year, number, status, "
                    "frozen_counts, frozen_rows, created_at, version) VALUES (:id, :scope, :agency, 'monthly-2026-11', "
                    "'monthly', 2026, 11, 'submitted', '{}', :rows, '2026-11-20 10:00:00', 1)"),
                    dict(id=id_, scope=scope, agency=agency, rows=json.dumps(rows, ensure_ascii=False)))
        upgrade(directory=MIGRATIONS, revision="0040")
        with engine.connect() as conn:
            copied = conn.execute(sa.text("SELECT * FROM periodic_report_row ORDER BY position")).mappings().all()
            frozen = dict(conn.execute(sa.text("SELECT id, frozen_rows FROM periodic_report")).all())
        assert [r["position"] for r in copied] == [1, 2] and {r["report_id"] for r in copied} == {1}
        assert [{k: (str(v) if k.endswith(("_on", "deadline")) and v is not None else v)
                 for k, v in r.items() if k not in ("report_id", "position")} for r in copied] == ROWS
        assert frozen[1] is None and json.loads(frozen[2]) == TABLE
        downgrade(directory=MIGRATIONS, revision="0034")
        with engine.connect() as conn:
            frozen = dict(conn.execute(sa.text("SELECT id, frozen_rows FROM periodic_report")).all())
            assert "periodic_report_row" not in sa.inspect(conn).get_table_names()
        assert json.loads(frozen[1]) == ROWS and json.loads(frozen[2]) == TABLE
    engine.dispose()

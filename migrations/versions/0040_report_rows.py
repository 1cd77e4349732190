"""A submitted agency report's Phụ lục II as rows (periodic_report_row) instead of one
JSON text in periodic_report.frozen_rows (issue 10): the list of 230,000 tasks is then
written at submission and read for the files in pages, never held whole in a worker.

The JSON of the reports submitted before is copied in one set-based statement per
dialect (PostgreSQL json_array_elements, SQLite json_each) and cleared; the
consolidated report's table (one line per agency, small) stays in frozen_rows.
Downgrade writes the JSON back from the rows (json_agg / json_group_array).

Revision ID: 0040
Revises: 0034
"""
import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0038"
branch_labels = None
depends_on = None

COLUMNS = ("task_id", "document", "issued_on", "summary", "content", "lead", "coordinating", "deadline",
           "extended_deadline", "state", "result")


def upgrade():
    op.create_table(
        "periodic_report_row",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("periodic_report.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("lead", sa.Text, nullable=False),
        sa.Column("coordinating", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("extended_deadline", sa.Date),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )
    legacy = "r.agency_id IS NOT NULL AND r.frozen_rows IS NOT NULL AND r.frozen_rows <> ''"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            INSERT INTO periodic_report_row (report_id, position, {", ".join(COLUMNS)})
            SELECT r.id, e.n, (e.v->>'task_id')::int, COALESCE(e.v->>'document', ''), (e.v->>'issued_on')::date,
                   COALESCE(e.v->>'summary', ''), COALESCE(e.v->>'content', ''), COALESCE(e.v->>'lead', ''),
                   COALESCE(e.v->>'coordinating', ''), (e.v->>'deadline')::date,
                   (e.v->>'extended_deadline')::date, e.v->>'state', COALESCE(e.v->>'result', '')
            FROM periodic_report r, json_array_elements(r.frozen_rows::json) WITH ORDINALITY AS e(v, n)
            WHERE {legacy}""")
    else:
        op.execute(f"""
            INSERT INTO periodic_report_row (report_id, position, {", ".join(COLUMNS)})
            SELECT r.id, e.key + 1, json_extract(e.value, '$.task_id'),
                   COALESCE(json_extract(e.value, '$.document'), ''), json_extract(e.value, '$.issued_on'),
                   COALESCE(json_extract(e.value, '$.summary'), ''), COALESCE(json_extract(e.value, '$.content'), ''),
                   COALESCE(json_extract(e.value, '$.lead'), ''), COALESCE(json_extract(e.value, '$.coordinating'), ''),
                   json_extract(e.value, '$.deadline'), json_extract(e.value, '$.extended_deadline'),
                   json_extract(e.value, '$.state'), COALESCE(json_extract(e.value, '$.result'), '')
            FROM periodic_report r, json_each(r.frozen_rows) e
            WHERE {legacy}""")
    op.execute(f"UPDATE periodic_report SET frozen_rows = NULL WHERE id IN "
               f"(SELECT r.id FROM periodic_report r WHERE {legacy})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        pairs = ", ".join(f"'{c}', w.{c}" for c in COLUMNS)
        op.execute(f"""
            UPDATE periodic_report r SET frozen_rows = (
                SELECT json_agg(json_build_object({pairs}) ORDER BY w.position)::text
                FROM periodic_report_row w WHERE w.report_id = r.id)
            WHERE EXISTS (SELECT 1 FROM periodic_report_row w WHERE w.report_id = r.id)""")
    else:
        pairs = ", ".join(f"'{c}', w.{c}" for c in COLUMNS)
        op.execute(f"""
            UPDATE periodic_report SET frozen_rows = (
                SELECT json_group_array(json(o)) FROM (
                    SELECT json_object({pairs}) AS o FROM periodic_report_row w
                    WHERE w.report_id = periodic_report.id ORDER BY w.position))
            WHERE EXISTS (SELECT 1 FROM periodic_report_row w WHERE w.report_id = periodic_report.id)""")
    op.drop_table("periodic_report_row")

"""Inspections (Chương V): the year's inspection plan (Art. 13.1.a, 14.2.a) — a plan per year, its
planned inspections (agencies, content, form, month) and the decision drafted from each.

A migration of its own because 0010 was already merged (and applied) when the plan was added.

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inspection_plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, unique=True),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("sent_back_note", sa.Text),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("approved_at", sa.DateTime),
        sa.Column("approved_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("stage IN ('draft', 'submitted', 'approved')", name="ck_inspection_plan_stage"),
    )
    op.create_table(
        "inspection_plan_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("inspection_plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), unique=True),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="ck_inspection_plan_item_month"),
        sa.CheckConstraint("form IN ('regular', 'periodic')", name="ck_inspection_plan_item_form"),
    )
    op.create_index("ix_inspection_plan_item_plan_id", "inspection_plan_item", ["plan_id"])
    op.create_table(
        "inspection_plan_item_agency",
        sa.Column("item_id", sa.Integer, sa.ForeignKey("inspection_plan_item.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), primary_key=True),
    )


def downgrade():
    op.drop_table("inspection_plan_item_agency")
    op.drop_index("ix_inspection_plan_item_plan_id", "inspection_plan_item")
    op.drop_table("inspection_plan_item")
    op.drop_table("inspection_plan")

"""Joins the capabilities' migrations, each written on 0007 in parallel, into one head.

Revision ID: 0020
Revises: 0008, 0009, 0010, 0011, 0012, 0013
"""
revision = "0020"
down_revision = ("0008", "0009", "0010", "0011", "0012", "0013")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

"""Requests to mentors: one row per request, with its status, timestamps and fit feedback.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("index_name", sa.String(128), nullable=False),
        sa.Column("mentor_id", sa.String(128), nullable=False),
        sa.Column("session_id", sa.String(128), nullable=False),
        sa.Column("goal_summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("answered_at", sa.DateTime, nullable=True),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.Column("fit", sa.String(8), nullable=True),
        sa.Column("fit_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_requests_mentor", "requests", ["index_name", "mentor_id", "sent_at"])
    op.create_index("ix_requests_session", "requests", ["index_name", "session_id", "status"])
    op.create_index("ix_requests_status", "requests", ["index_name", "status", "sent_at"])


def downgrade() -> None:
    op.drop_table("requests")

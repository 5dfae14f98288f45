"""Impressions: how often each mentor was shown, per index and UTC day, for fair exposure.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impressions",
        sa.Column("index_name", sa.String(128), primary_key=True),
        sa.Column("mentor_id", sa.String(128), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("shown", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("impressions")

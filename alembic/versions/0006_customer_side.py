"""The customer's side: organisation settings and satisfaction surveys

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-04 19:20:00

The organisation gets a logo and its customer-facing settings (closing message, survey,
reopen window, signature line, privacy notice); a conversation remembers whether the
customer was told nobody is free yet, and the survey it was sent and its answer.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from smarterchat.backend.models.base import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("service_settings", JSON, nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_notice_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("survey_sent_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("csat_rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("csat_comment", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("csat_answered_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        for name in ("csat_answered_at", "csat_comment", "csat_rating", "survey_sent_at",
                     "waiting_notice_at"):
            batch_op.drop_column(name)
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("service_settings")
        batch_op.drop_column("logo_url")

"""Inbound events keyed by customer

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:30:00

Events are ordered per customer instead of per channel, so one busy number's customers
are processed in parallel; the partial index serves a drain's "this customer's pending
events, oldest first".
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conversation_key", sa.String(length=200),
                                      nullable=False, server_default=""))
    op.create_index("ix_inbound_event_pending_key", "inbound_event",
                    ["channel_id", "conversation_key", "received_at"], unique=False,
                    postgresql_where=sa.text("status = 'pending'"),
                    sqlite_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index("ix_inbound_event_pending_key", table_name="inbound_event")
    with op.batch_alter_table("inbound_event", schema=None) as batch_op:
        batch_op.drop_column("conversation_key")

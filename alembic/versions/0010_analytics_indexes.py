"""Analytics indexes

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-04 19:30:00

The dashboard reads an organisation's conversations started or resolved in a period (two
range scans, combined), and its messages and AI usage of a period (heatmap, AI answers,
WhatsApp billing). Without these, each read scans the organisation's whole history.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_conversation_org_created": ("conversation", ["organization_id", "created_at"]),
    "ix_conversation_org_resolved": ("conversation", ["organization_id", "resolved_at"]),
    "ix_message_org_created": ("message", ["organization_id", "created_at"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)

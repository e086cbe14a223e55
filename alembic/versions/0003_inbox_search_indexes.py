"""Inbox search and listing indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 20:50:00

On PostgreSQL, trigram indexes (pg_trgm) make "contains" searches over message text and
contact names use an index instead of reading every row. They are expression indexes
that exist only on PostgreSQL, so they live here and not in the models; schema
comparisons skip them by name (models.base.DATABASE_ONLY_INDEXES).
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names kept in step with models.base.DATABASE_ONLY_INDEXES.
TRIGRAM_INDEXES = {
    "ix_message_text_trgm": ("message", "lower(text)"),
    "ix_contact_name_trgm": ("contact", "lower(name)"),
    "ix_contact_phone_trgm": ("contact", "phone"),
}


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index("ix_conversation_org_activity",
                              ["organization_id", "last_message_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                       f"USING gin ({expression} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_org_activity")

"""Organisation's first-response target

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-04 19:20:00

How many minutes a customer handed to people may wait for a person's answer; the
first-response metrics and alert measure against it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_response_target_minutes", sa.Integer(),
                                      nullable=False, server_default="15"))


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("first_response_target_minutes")

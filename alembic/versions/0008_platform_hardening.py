"""Business-scoped WhatsApp user ids on contacts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:30:00

WhatsApp's business-scoped user ids run to about 131 characters and may be a customer's
only id: ``contact.external_id`` widens to 160 and the id is kept in a column of its own,
unique per channel, so a customer is found again by either their phone or it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.alter_column("external_id", existing_type=sa.String(length=128),
                              type_=sa.String(length=160), existing_nullable=False)
        batch_op.add_column(sa.Column("business_user_id", sa.String(length=160), nullable=True))
        batch_op.create_unique_constraint("uq_contact_channel_id_business_user_id",
                                          ["channel_id", "business_user_id"])


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint("uq_contact_channel_id_business_user_id", type_="unique")
        batch_op.drop_column("business_user_id")
        batch_op.alter_column("external_id", existing_type=sa.String(length=160),
                              type_=sa.String(length=128), existing_nullable=False)

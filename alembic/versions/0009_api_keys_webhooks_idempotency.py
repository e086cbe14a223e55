"""API keys with scopes and expiry, idempotency keys, webhook secrets rotation and delivery log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:07:11

The public API (issue 16): keys are the organisation's (scopes, expiry, an identity user
of their own), POSTs' Idempotency-Key answers are kept, webhook endpoints rotate secrets
and are disabled after days of failures, and each delivery keeps its latency and the
start of the receiver's answer.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import smarterchat.backend.models.base
import smarterchat.backend.security.crypto
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_key',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('principal', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_idempotency_key_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_key')),
    sa.UniqueConstraint('principal', 'key', name=op.f('uq_idempotency_key_principal_key'))
    )
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_key_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idempotency_key_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('user_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_key_user_id_user'), 'user', ['user_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('previous_secret', smarterchat.backend.security.crypto.EncryptedString(), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_until', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disabled_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('failing_since', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_latency_ms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_response', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_column('last_response')
        batch_op.drop_column('last_latency_ms')

    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.drop_column('failing_since')
        batch_op.drop_column('disabled_reason')
        batch_op.drop_column('previous_secret_until')
        batch_op.drop_column('previous_secret')
        batch_op.drop_column('description')

    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_key_user_id_user'), type_='foreignkey')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('user_id')
        batch_op.drop_column('scopes')

    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_key_organization_id'))
        batch_op.drop_index(batch_op.f('ix_idempotency_key_created_at'))

    op.drop_table('idempotency_key')

"""Accounts: single-use e-mail links, token versions, refresh grace

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-04 19:11:45

Sign-ups, password resets and invitations wait in ``account_link`` (only a hash of each
link's token); ``token_version`` on users and memberships lets a password change or an
admin's "end sessions" refuse older access tokens; ``refresh_token.successor`` keeps the
rotated token (encrypted) for the grace interval of two tabs restoring at once.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import smarterchat.backend.models.base
import smarterchat.backend.security.crypto
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account_link',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_account_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_account_link_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_link_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_link_token_hash'))
    )
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_link_email'), ['email'], unique=False)
        batch_op.create_index('ix_account_link_org_kind', ['organization_id', 'kind'], unique=False)

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('refresh_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor', smarterchat.backend.security.crypto.EncryptedString(), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.Integer(), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('token_version')

    with op.batch_alter_table('refresh_token', schema=None) as batch_op:
        batch_op.drop_column('successor')

    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('token_version')

    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.drop_index('ix_account_link_org_kind')
        batch_op.drop_index(batch_op.f('ix_account_link_email'))

    op.drop_table('account_link')

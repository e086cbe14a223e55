"""CRM pipelines: stages, lost reasons, settings, timeline, tasks, merges

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:10:00

A lead's fixed ``stage`` string becomes a stage of a pipeline the organisation configures.
Every organisation gets the default pipeline (Novo, Qualificado, Proposta, Negociação,
Ganho, Perdido; in English for English organisations); old values map to it (``contacted``,
which the new pipeline has no column for, goes to Novo: nobody qualified it yet).
"""
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import smarterchat.backend.models.base
from smarterchat.backend.models.base import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
# (key, kind, colour, stale days): kept in step with services/crm/defaults.py
STAGES = (("new", "open", "blue", 3), ("qualified", "open", "cyan", 5),
          ("proposal", "open", "amber", 7), ("negotiation", "open", "orange", 7),
          ("won", "won", "green", None), ("lost", "lost", "red", None))
STAGE_NAMES = {
    "pt-BR": {"new": "Novo", "qualified": "Qualificado", "proposal": "Proposta",
              "negotiation": "Negociação", "won": "Ganho", "lost": "Perdido"},
    "en": {"new": "New", "qualified": "Qualified", "proposal": "Proposal",
           "negotiation": "Negotiation", "won": "Won", "lost": "Lost"},
}
PIPELINE_NAME = {"pt-BR": "Vendas", "en": "Sales"}
LOST_REASONS = {
    "pt-BR": ("Preço", "Comprou de um concorrente", "Sem resposta", "Sem interesse agora"),
    "en": ("Price", "Bought from a competitor", "No reply", "Not interested now"),
}
OLD_STAGES = {"new": "new", "contacted": "new", "qualified": "qualified",
              "proposal": "proposal", "won": "won", "lost": "lost"}

_org = sa.table("organization", sa.column("id", sa.Uuid()), sa.column("locale"))
_pipeline = sa.table("pipeline", sa.column("id", sa.Uuid()), sa.column("organization_id", sa.Uuid()),
                     sa.column("name"), sa.column("position"), sa.column("is_default"),
                     sa.column("created_at", UTCDateTime()))
_stage = sa.table("pipeline_stage", sa.column("id", sa.Uuid()),
                  sa.column("organization_id", sa.Uuid()), sa.column("pipeline_id", sa.Uuid()),
                  sa.column("name"), sa.column("kind"), sa.column("color"), sa.column("position"),
                  sa.column("stale_days"), sa.column("created_at", UTCDateTime()))
_reason = sa.table("lost_reason", sa.column("id", sa.Uuid()),
                   sa.column("organization_id", sa.Uuid()), sa.column("name"),
                   sa.column("position"), sa.column("is_active"),
                   sa.column("created_at", UTCDateTime()))
_lead = sa.table("lead", sa.column("organization_id", sa.Uuid()), sa.column("stage"),
                 sa.column("stage_id", sa.Uuid()), sa.column("pipeline_id", sa.Uuid()),
                 sa.column("updated_at", UTCDateTime()), sa.column("stage_changed_at", UTCDateTime()),
                 sa.column("last_activity_at", UTCDateTime()), sa.column("closed_at", UTCDateTime()))


def upgrade() -> None:
    op.create_table('lost_reason',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_lost_reason_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lost_reason')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_lost_reason_organization_id_name'))
    )
    op.create_index(op.f('ix_lost_reason_organization_id'), 'lost_reason', ['organization_id'], unique=False)
    op.create_table('pipeline',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_pipeline_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_pipeline_organization_id_name'))
    )
    op.create_index(op.f('ix_pipeline_organization_id'), 'pipeline', ['organization_id'], unique=False)
    op.create_table('crm_settings',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('consultants_see_unassigned', sa.Boolean(), nullable=False),
    sa.Column('distribution_rule', sa.String(length=24), nullable=False),
    sa.Column('distribution_team_id', sa.Uuid(), nullable=True),
    sa.Column('lead_cap', sa.Integer(), nullable=True),
    sa.Column('owner_follows_assignee', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['distribution_team_id'], ['team.id'], name=op.f('fk_crm_settings_distribution_team_id_team'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_crm_settings_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_crm_settings'))
    )
    op.create_table('pipeline_stage',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('color', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stale_days', sa.Integer(), nullable=True),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_pipeline_stage_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipeline.id'], name=op.f('fk_pipeline_stage_pipeline_id_pipeline'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_stage'))
    )
    op.create_index(op.f('ix_pipeline_stage_organization_id'), 'pipeline_stage', ['organization_id'], unique=False)
    op.create_index('ix_pipeline_stage_pipeline_position', 'pipeline_stage', ['pipeline_id', 'position'], unique=False)
    op.create_table('lead_merge',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('kept_id', sa.Uuid(), nullable=False),
    sa.Column('merged_id', sa.Uuid(), nullable=False),
    sa.Column('actor_user_id', sa.Uuid(), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('undone_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_user_id'], ['user.id'], name=op.f('fk_lead_merge_actor_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['kept_id'], ['lead.id'], name=op.f('fk_lead_merge_kept_id_lead'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_id'], ['lead.id'], name=op.f('fk_lead_merge_merged_id_lead'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_lead_merge_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_merge'))
    )
    op.create_index(op.f('ix_lead_merge_organization_id'), 'lead_merge', ['organization_id'], unique=False)
    op.create_table('lead_task',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('lead_id', sa.Uuid(), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('due_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notified_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_lead_task_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_lead_task_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], name=op.f('fk_lead_task_lead_id_lead'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_lead_task_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_task'))
    )
    op.create_index(op.f('ix_lead_task_lead_id'), 'lead_task', ['lead_id'], unique=False)
    op.create_index('ix_lead_task_org_assignee_due', 'lead_task', ['organization_id', 'assignee_id', 'done_at', 'due_at'], unique=False)
    op.create_index(op.f('ix_lead_task_organization_id'), 'lead_task', ['organization_id'], unique=False)
    op.create_table('lead_activity',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('lead_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('actor_user_id', sa.Uuid(), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', smarterchat.backend.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['user.id'], name=op.f('fk_lead_activity_actor_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], name=op.f('fk_lead_activity_lead_id_lead'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_lead_activity_message_id_message'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_lead_activity_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_activity'))
    )
    op.create_index('ix_lead_activity_lead_created', 'lead_activity', ['lead_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_lead_activity_organization_id'), 'lead_activity', ['organization_id'], unique=False)
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pipeline_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("stage_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=24), nullable=False,
                                      server_default="ai"))
        batch_op.add_column(sa.Column("lost_reason", sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=True))
        batch_op.add_column(sa.Column("field_sources", JSON, nullable=False,
                                      server_default="{}"))
        batch_op.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("stage_changed_at", UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("last_activity_at", UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True))
    _default_pipelines()
    with op.batch_alter_table("lead", schema=None) as batch_op:
        for column in ("pipeline_id", "stage_id", "stage_changed_at", "last_activity_at"):
            batch_op.alter_column(column, nullable=False)
        batch_op.alter_column("source", server_default=None)
        batch_op.alter_column("field_sources", server_default=None)
        batch_op.drop_index("ix_lead_org_stage_position")
        batch_op.create_index("ix_lead_org_stage_position",
                              ["organization_id", "stage_id", "position"], unique=False)
        batch_op.create_foreign_key("fk_lead_stage_id_pipeline_stage", "pipeline_stage",
                                    ["stage_id"], ["id"], ondelete="RESTRICT")
        batch_op.create_foreign_key("fk_lead_pipeline_id_pipeline", "pipeline",
                                    ["pipeline_id"], ["id"], ondelete="RESTRICT")
        batch_op.create_foreign_key("fk_lead_merged_into_id_lead", "lead",
                                    ["merged_into_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_column("stage")



def downgrade() -> None:
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sa.String(length=24), nullable=False,
                                      server_default="new"))
    bind = op.get_bind()
    for kind in ("won", "lost"):
        bind.execute(sa.update(_lead).where(_lead.c.stage_id.in_(
            sa.select(_stage.c.id).where(_stage.c.kind == kind))).values(stage=kind))
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_constraint("fk_lead_merged_into_id_lead", type_="foreignkey")
        batch_op.drop_constraint("fk_lead_pipeline_id_pipeline", type_="foreignkey")
        batch_op.drop_constraint("fk_lead_stage_id_pipeline_stage", type_="foreignkey")
        batch_op.drop_index("ix_lead_org_stage_position")
        batch_op.create_index("ix_lead_org_stage_position",
                              ["organization_id", "stage", "position"], unique=False)
        for column in ("closed_at", "last_activity_at", "stage_changed_at", "merged_into_id",
                       "field_sources", "lost_reason", "source", "stage_id", "pipeline_id"):
            batch_op.drop_column(column)
    op.drop_index(op.f('ix_lead_activity_organization_id'), table_name='lead_activity')
    op.drop_index('ix_lead_activity_lead_created', table_name='lead_activity')
    op.drop_table('lead_activity')
    op.drop_index(op.f('ix_lead_task_organization_id'), table_name='lead_task')
    op.drop_index('ix_lead_task_org_assignee_due', table_name='lead_task')
    op.drop_index(op.f('ix_lead_task_lead_id'), table_name='lead_task')
    op.drop_table('lead_task')
    op.drop_index(op.f('ix_lead_merge_organization_id'), table_name='lead_merge')
    op.drop_table('lead_merge')
    op.drop_index('ix_pipeline_stage_pipeline_position', table_name='pipeline_stage')
    op.drop_index(op.f('ix_pipeline_stage_organization_id'), table_name='pipeline_stage')
    op.drop_table('pipeline_stage')
    op.drop_table('crm_settings')
    op.drop_index(op.f('ix_pipeline_organization_id'), table_name='pipeline')
    op.drop_table('pipeline')
    op.drop_index(op.f('ix_lost_reason_organization_id'), table_name='lost_reason')
    op.drop_table('lost_reason')


def _default_pipelines() -> None:
    """Every organisation gets the default pipeline (in its language) and lost reasons;
    each lead goes to the stage its old ``stage`` value named."""
    bind = op.get_bind()
    now = datetime.now(UTC)
    orgs = bind.execute(sa.select(_org.c.id, _org.c.locale)).all()
    for org_id, locale in orgs:
        lang = "en" if locale == "en" else "pt-BR"
        pipeline_id = uuid.uuid4()
        bind.execute(sa.insert(_pipeline), [{
            "id": pipeline_id, "organization_id": org_id, "name": PIPELINE_NAME[lang],
            "position": 0, "is_default": True, "created_at": now}])
        by_key: dict[str, uuid.UUID] = {}
        for position, (key, kind, color, stale) in enumerate(STAGES):
            by_key[key] = uuid.uuid4()
            bind.execute(sa.insert(_stage), [{
                "id": by_key[key], "organization_id": org_id, "pipeline_id": pipeline_id,
                "name": STAGE_NAMES[lang][key], "kind": kind, "color": color,
                "position": position, "stale_days": stale, "created_at": now}])
        bind.execute(sa.insert(_reason), [
            {"id": uuid.uuid4(), "organization_id": org_id, "name": name, "position": i,
             "is_active": True, "created_at": now}
            for i, name in enumerate(LOST_REASONS[lang])])
        for old, key in OLD_STAGES.items():
            bind.execute(
                sa.update(_lead).where(_lead.c.organization_id == org_id, _lead.c.stage == old)
                .values(pipeline_id=pipeline_id, stage_id=by_key[key]))
    bind.execute(sa.update(_lead).values(stage_changed_at=_lead.c.updated_at,
                                         last_activity_at=_lead.c.updated_at))
    bind.execute(sa.update(_lead).where(_lead.c.stage.in_(("won", "lost")))
                 .values(closed_at=_lead.c.updated_at))

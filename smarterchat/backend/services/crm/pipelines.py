"""Pipelines, their stages and the lost reasons: admins shape them, everyone reads them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from smarterchat.backend.models import (
    CrmSettings,
    DistributionRule,
    Lead,
    LostReason,
    Pipeline,
    PipelineStage,
    StageKind,
)
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.crm import defaults
from smarterchat.backend.services.crm.access import settings_of, stage_of
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound, RecordId, parse_id
from smarterchat.backend.services.teams import get_team

NAME_MAX = 60
PIPELINE_NAME_MAX = 80
REASON_MAX = 120
STALE_DAYS_MAX = 365
COLORS = ("gray", "blue", "cyan", "teal", "green", "grass", "amber", "orange", "red", "crimson",
          "pink", "purple", "violet", "indigo", "brown")


@dataclass(frozen=True)
class StageInfo:
    id: str
    name: str
    kind: str
    color: str
    position: int
    stale_days: int | None


@dataclass(frozen=True)
class PipelineInfo:
    id: str
    name: str
    is_default: bool
    stages: list[StageInfo]


@dataclass(frozen=True)
class ReasonInfo:
    id: str
    name: str


def _name(value: str, limit: int, code: str) -> str:
    name = " ".join(str(value or "").split())
    if not name or len(name) > limit:
        raise InvalidInput(code, field="name", max=limit)
    return name


def list_pipelines(session: Session, actor: Actor) -> list[PipelineInfo]:
    """The organisation's pipelines, the default first, each with its stages in order."""
    actor.require(Permission.CRM_VIEW)
    org_id = actor.require_org()
    defaults.default_pipeline(session, org_id)
    session.commit()
    pipelines = session.exec(select(Pipeline).where(Pipeline.organization_id == org_id)
                             .order_by(col(Pipeline.is_default).desc(), col(Pipeline.position),
                                       col(Pipeline.name))).all()
    stages = session.exec(select(PipelineStage).where(PipelineStage.organization_id == org_id)
                          .order_by(col(PipelineStage.position))).all()
    by_pipeline: dict[uuid.UUID, list[StageInfo]] = {}
    for stage in stages:
        by_pipeline.setdefault(stage.pipeline_id, []).append(StageInfo(
            id=str(stage.id), name=stage.name, kind=stage.kind, color=stage.color,
            position=stage.position, stale_days=stage.stale_days))
    return [PipelineInfo(id=str(p.id), name=p.name, is_default=p.is_default,
                         stages=by_pipeline.get(p.id, [])) for p in pipelines]


def create_pipeline(session: Session, actor: Actor, name: str) -> str:
    """A new pipeline (e.g. Pós-venda) with one open, one won and one lost stage to edit."""
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    name = _name(name, PIPELINE_NAME_MAX, "invalid_pipeline_name")
    if session.exec(select(Pipeline.id).where(Pipeline.organization_id == org_id,
                                              func.lower(Pipeline.name) == name.lower())).first():
        raise Conflict("pipeline_exists")
    defaults.default_pipeline(session, org_id)
    count = session.exec(select(func.count()).select_from(Pipeline)
                         .where(Pipeline.organization_id == org_id)).one()
    pipeline = Pipeline(organization_id=org_id, name=name, position=int(count))
    session.add(pipeline)
    session.flush()
    for position, (key, kind, color, stale) in enumerate(
            s for s in defaults.STAGES if s[0] in ("new", "won", "lost")):
        session.add(PipelineStage(organization_id=org_id, pipeline_id=pipeline.id,
                                  name=defaults.stage_name(session, org_id, key), kind=kind,
                                  color=color,
                                  position=position, stale_days=stale))
    audit.record(session, actor, "pipeline.created", target_type="pipeline",
                 target_id=pipeline.id, details={"name": name})
    session.commit()
    return str(pipeline.id)


def save_stage(session: Session, actor: Actor, pipeline_id: RecordId, *,
               stage_id: RecordId | None = None, name: str, kind: str = StageKind.OPEN,
               color: str = "gray", stale_days: int | None = None) -> str:
    """Add a stage at the end of the pipeline, or change one."""
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    pipeline = _pipeline(session, org_id, pipeline_id)
    name = _name(name, NAME_MAX, "invalid_stage_name")
    if kind not in tuple(StageKind):
        raise InvalidInput("invalid_stage_kind", field="kind")
    if color not in COLORS:
        raise InvalidInput("invalid_stage_color", field="color")
    if stale_days is not None and not 1 <= int(stale_days) <= STALE_DAYS_MAX:
        raise InvalidInput("invalid_stale_days", field="stale_days", max=STALE_DAYS_MAX)
    if stage_id:
        stage = stage_of(session, org_id, stage_id)
        if stage.pipeline_id != pipeline.id:
            raise NotFound()
    else:
        last = session.exec(select(func.max(PipelineStage.position))
                            .where(PipelineStage.pipeline_id == pipeline.id)).one()
        stage = PipelineStage(organization_id=org_id, pipeline_id=pipeline.id, name=name,
                              position=int(last if last is not None else -1) + 1)
    stage.name, stage.kind, stage.color, stage.stale_days = name, kind, color, stale_days
    session.add(stage)
    session.flush()
    audit.record(session, actor, "pipeline.stage_saved", target_type="pipeline_stage",
                 target_id=stage.id, details={"name": name, "kind": kind})
    session.commit()
    return str(stage.id)


def reorder_stages(session: Session, actor: Actor, pipeline_id: RecordId,
                   stage_ids: list[str]) -> None:
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    pipeline = _pipeline(session, org_id, pipeline_id)
    stages = {str(s.id): s for s in session.exec(
        select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)).all()}
    if sorted(stages) != sorted(stage_ids):
        raise InvalidInput("stages_mismatch", field="stages")
    for position, key in enumerate(stage_ids):
        stages[key].position = position
        session.add(stages[key])
    audit.record(session, actor, "pipeline.reordered", target_type="pipeline",
                 target_id=pipeline.id)
    session.commit()


def delete_stage(session: Session, actor: Actor, stage_id: RecordId) -> None:
    """Remove an empty stage; a pipeline keeps at least one."""
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    stage = stage_of(session, org_id, stage_id)
    if session.exec(select(Lead.id).where(Lead.stage_id == stage.id)).first() is not None:
        raise Conflict("stage_has_leads")
    left = session.exec(select(func.count()).select_from(PipelineStage)
                        .where(PipelineStage.pipeline_id == stage.pipeline_id)).one()
    if left <= 1:
        raise Conflict("last_stage")
    session.delete(stage)
    audit.record(session, actor, "pipeline.stage_deleted", target_type="pipeline_stage",
                 target_id=stage.id, details={"name": stage.name})
    session.commit()


def _pipeline(session: Session, org_id: uuid.UUID, pipeline_id: RecordId) -> Pipeline:
    pipeline = session.exec(select(Pipeline).where(Pipeline.id == parse_id(pipeline_id),
                                                   Pipeline.organization_id == org_id)).first()
    if pipeline is None:
        raise NotFound()
    return pipeline


def lost_reasons(session: Session, actor: Actor) -> list[ReasonInfo]:
    actor.require(Permission.CRM_VIEW)
    org_id = actor.require_org()
    defaults.default_pipeline(session, org_id)
    session.commit()
    rows = session.exec(select(LostReason).where(LostReason.organization_id == org_id,
                                                 LostReason.is_active)
                        .order_by(col(LostReason.position), col(LostReason.name))).all()
    return [ReasonInfo(id=str(r.id), name=r.name) for r in rows]


def add_lost_reason(session: Session, actor: Actor, name: str) -> str:
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    name = _name(name, REASON_MAX, "invalid_lost_reason")
    row = session.exec(select(LostReason).where(LostReason.organization_id == org_id,
                                                LostReason.name == name)).first()
    if row is None:
        count = session.exec(select(func.count()).select_from(LostReason)
                             .where(LostReason.organization_id == org_id)).one()
        row = LostReason(organization_id=org_id, name=name, position=int(count))
    row.is_active = True
    session.add(row)
    session.flush()
    audit.record(session, actor, "crm.lost_reason_added", target_type="lost_reason",
                 target_id=row.id, details={"name": name})
    session.commit()
    return str(row.id)


def remove_lost_reason(session: Session, actor: Actor, reason_id: RecordId) -> None:
    """Hidden from the list; leads lost for it keep their reason's text."""
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    row = session.exec(select(LostReason).where(LostReason.id == parse_id(reason_id),
                                                LostReason.organization_id == org_id)).first()
    if row is None:
        raise NotFound()
    row.is_active = False
    session.add(row)
    audit.record(session, actor, "crm.lost_reason_removed", target_type="lost_reason",
                 target_id=row.id, details={"name": row.name})
    session.commit()


def save_settings(session: Session, actor: Actor, *, consultants_see_unassigned: bool,
                  distribution_rule: str, distribution_team_id: RecordId | None = None,
                  lead_cap: int | None = None, owner_follows_assignee: bool = False) -> None:
    actor.require(Permission.ORG_SETTINGS)
    org_id = actor.require_org()
    if distribution_rule not in tuple(DistributionRule):
        raise InvalidInput("invalid_distribution_rule", field="distribution_rule")
    if lead_cap is not None and not 1 <= int(lead_cap) <= 100_000:
        raise InvalidInput("invalid_lead_cap", field="lead_cap")
    team = None
    if distribution_team_id:
        team = get_team(session, org_id, distribution_team_id).id
    if distribution_rule == DistributionRule.TEAM and team is None:
        raise InvalidInput("distribution_needs_team", field="distribution_team_id")
    row = session.get(CrmSettings, org_id) or CrmSettings(organization_id=org_id)
    row.consultants_see_unassigned = bool(consultants_see_unassigned)
    row.distribution_rule, row.distribution_team_id = distribution_rule, team
    row.lead_cap, row.owner_follows_assignee = lead_cap, bool(owner_follows_assignee)
    session.add(row)
    audit.record(session, actor, "crm.settings_saved", details={
        "distribution_rule": distribution_rule, "lead_cap": lead_cap,
        "consultants_see_unassigned": row.consultants_see_unassigned})
    session.commit()


@dataclass(frozen=True)
class SettingsInfo:
    consultants_see_unassigned: bool
    distribution_rule: str
    distribution_team_id: str
    lead_cap: int | None
    owner_follows_assignee: bool


def read_settings(session: Session, actor: Actor) -> SettingsInfo:
    actor.require(Permission.CRM_VIEW)
    row = settings_of(session, actor.require_org())
    return SettingsInfo(consultants_see_unassigned=row.consultants_see_unassigned,
                        distribution_rule=row.distribution_rule,
                        distribution_team_id=str(row.distribution_team_id or ""),
                        lead_cap=row.lead_cap, owner_follows_assignee=row.owner_follows_assignee)

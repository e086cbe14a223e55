"""The default pipeline every organisation starts with, in its language, and its lost
reasons. Created the first time the organisation's CRM is used (and by migration 0005
for the organisations that existed before pipelines)."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from smarterchat.backend.models import (
    LostReason,
    Organization,
    Pipeline,
    PipelineStage,
    StageKind,
)
from smarterchat.i18n import translate

# (key, kind, colour, stale days): kept in step with alembic/versions/0005.
STAGES: tuple[tuple[str, StageKind, str, int | None], ...] = (
    ("new", StageKind.OPEN, "blue", 3),
    ("qualified", StageKind.OPEN, "cyan", 5),
    ("proposal", StageKind.OPEN, "amber", 7),
    ("negotiation", StageKind.OPEN, "orange", 7),
    ("won", StageKind.WON, "green", None),
    ("lost", StageKind.LOST, "red", None),
)
LOST_REASONS = ("price", "competitor", "no_reply", "not_now")


def default_pipeline(session: Session, org_id: uuid.UUID) -> Pipeline:
    """The organisation's default pipeline, created with its stages when it has none."""
    found = _find_default(session, org_id)
    if found is not None:
        return found
    org = session.get(Organization, org_id)
    locale = org.locale if org else None
    try:
        with session.begin_nested():
            pipeline = _create(session, org_id, locale)
    except IntegrityError:  # another worker created it a moment ago
        found = _find_default(session, org_id)
        if found is None:
            raise
        return found
    return pipeline


def _find_default(session: Session, org_id: uuid.UUID) -> Pipeline | None:
    return session.exec(select(Pipeline).where(Pipeline.organization_id == org_id)
                        .order_by(col(Pipeline.is_default).desc(), col(Pipeline.position))
                        ).first()


def _create(session: Session, org_id: uuid.UUID, locale: str | None) -> Pipeline:
    pipeline = Pipeline(organization_id=org_id, name=translate("crm.default_pipeline", locale),
                        is_default=True)
    session.add(pipeline)
    session.flush()
    for position, (key, kind, color, stale) in enumerate(STAGES):
        session.add(PipelineStage(organization_id=org_id, pipeline_id=pipeline.id,
                                  name=translate(f"crm.default_stage.{key}", locale), kind=kind,
                                  color=color, position=position, stale_days=stale))
    if session.exec(select(LostReason.id).where(LostReason.organization_id == org_id)).first() \
            is None:
        for position, key in enumerate(LOST_REASONS):
            session.add(LostReason(organization_id=org_id, position=position,
                                   name=translate(f"crm.default_lost.{key}", locale)))
    session.flush()
    return pipeline


def stage_name(session: Session, org_id: uuid.UUID, key: str) -> str:
    """A default stage's name in the organisation's language."""
    org = session.get(Organization, org_id)
    return translate(f"crm.default_stage.{key}", org.locale if org else None)


def first_stage(session: Session, pipeline: Pipeline) -> PipelineStage:
    stage = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)
                         .order_by(col(PipelineStage.position))).first()
    if stage is None:  # a pipeline always keeps one stage (pipelines.delete_stage refuses)
        raise LookupError(f"pipeline {pipeline.id} has no stages")
    return stage

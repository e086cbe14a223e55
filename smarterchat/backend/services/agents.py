"""AI agents: configuration (admins), their knowledge, and the cached config the
pipeline reads on every reply.

Over 300 lines because an agent's settings, their validation and the cached config the
pipeline reads describe one record; split, the defaults would live apart from their checks.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from smarterchat.backend import cache
from smarterchat.backend.ai import knowledge
from smarterchat.backend.ai.brain import AgentConfig
from smarterchat.backend.db import linked_row
from smarterchat.backend.models import (
    Agent,
    Channel,
    KnowledgeChunk,
    KnowledgeItem,
    KnowledgeKind,
    KnowledgeStatus,
    Organization,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import InvalidInput, NotFound, RecordId, parse_id

DEFAULT_MIN_CONFIDENCE = 0.35  # below it the AI does not trust its reading of a message
DEFAULT_HANDOFF_RULES = {
    "on_request": True,  # the customer asks for a person
    "keywords": [],  # any of these words hands off
    "negative_sentiment": True,
    "min_confidence": DEFAULT_MIN_CONFIDENCE,
    # times in a row the customer came back unanswered (asked again, or said it did not help)
    "max_turns_without_progress": 2,
    "cancellation": True,  # a customer who cancels goes to a person...
    "cancellation_exceptions": [],  # ...except for what the admin lists ("reserva")
    "hot_lead": False,
    "business_hours_only": False,  # outside the organisation's hours, hand off at once
    "handoff_message": "",
    "outside_hours_message": "",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
_FIELDS = ("name", "persona", "tone", "system_message", "business_facts", "greeting",
           "fallback_message", "model")


# ------------------------------------------------------------------ config for the pipeline

def _cache_key(agent_id: uuid.UUID) -> str:
    return f"agent-config:{agent_id}"


def load_config(session: Session, agent_id: uuid.UUID) -> AgentConfig | None:
    """The agent's configuration, cached (Redis when configured) until it changes."""
    cached = cache.get(_cache_key(agent_id))
    if cached:
        return AgentConfig(**cached)
    agent = session.get(Agent, agent_id)
    if agent is None or not agent.is_active:
        return None
    config = config_of(agent, linked_row(session, Organization, agent.organization_id).name)
    cache.put(_cache_key(agent_id), asdict(config), ttl=600)
    return config


def config_of(agent: Agent, organization_name: str) -> AgentConfig:
    return AgentConfig(
        id=str(agent.id), organization_id=str(agent.organization_id),
        organization_name=organization_name, name=agent.name, persona=agent.persona,
        tone=agent.tone, system_message=agent.system_message,
        business_facts=agent.business_facts, rules=list(agent.rules), greeting=agent.greeting,
        fallback_message=agent.fallback_message,
        handoff_rules={**DEFAULT_HANDOFF_RULES, **(agent.handoff_rules or {})},
        model=agent.model, temperature=agent.temperature)


def passages(session: Session, agent_id: uuid.UUID) -> list[knowledge.Passage]:
    rows = session.exec(
        select(KnowledgeChunk, KnowledgeItem.title)
        .join(KnowledgeItem, col(KnowledgeItem.id) == KnowledgeChunk.item_id)
        .where(KnowledgeChunk.agent_id == agent_id,
               KnowledgeItem.status == KnowledgeStatus.READY)
        .order_by(col(KnowledgeChunk.item_id), col(KnowledgeChunk.position))
    ).all()
    return [knowledge.Passage(str(c.item_id), title, c.text, c.embedding) for c, title in rows]


# ------------------------------------------------------------------ admin use cases

@dataclass(frozen=True)
class AgentView:
    id: str
    name: str
    is_active: bool
    persona: str
    tone: str
    system_message: str
    business_facts: str
    rules: list[str]
    greeting: str
    fallback_message: str
    handoff_rules: dict[str, Any]
    model: str
    temperature: float
    channel_ids: list[str]
    updated_at: datetime


def _view(session: Session, agent: Agent) -> AgentView:
    channels = session.exec(select(Channel.id).where(Channel.agent_id == agent.id)).all()
    return AgentView(str(agent.id), agent.name, agent.is_active, agent.persona, agent.tone,
                     agent.system_message, agent.business_facts, list(agent.rules),
                     agent.greeting, agent.fallback_message,
                     {**DEFAULT_HANDOFF_RULES, **(agent.handoff_rules or {})}, agent.model or "",
                     agent.temperature, [str(c) for c in channels], agent.updated_at)


def _get(session: Session, actor: Actor, agent_id: RecordId) -> Agent:
    agent = session.exec(select(Agent).where(Agent.id == parse_id(agent_id),
                                             Agent.organization_id == actor.require_org())).first()
    if agent is None:
        raise NotFound()
    return agent


def list_agents(session: Session, actor: Actor) -> list[AgentView]:
    actor.require(Permission.AGENTS_VIEW)
    rows = session.exec(select(Agent).where(Agent.organization_id == actor.require_org())
                        .order_by(col(Agent.created_at))).all()
    return [_view(session, a) for a in rows]


def get_agent(session: Session, actor: Actor, agent_id: RecordId) -> AgentView:
    actor.require(Permission.AGENTS_VIEW)
    return _view(session, _get(session, actor, agent_id))


def clean_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Validate what an admin may set on an agent; raises InvalidInput naming the field."""
    out: dict[str, Any] = {}
    for name in _FIELDS:
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            limit = 80 if name == "name" else 100 if name == "model" else 8000
            if len(value) > limit or (name == "name" and len(value) < 2):
                raise InvalidInput("invalid_agent_name" if name == "name" else f"invalid_{name}",
                                   field=name)
            out[name] = value
    if "temperature" in data and data["temperature"] is not None:
        try:
            temperature = float(data["temperature"])
        except (TypeError, ValueError) as exc:
            raise InvalidInput("invalid_temperature", field="temperature") from exc
        if not 0 <= temperature <= 2:
            raise InvalidInput("invalid_temperature", field="temperature")
        out["temperature"] = temperature
    if "rules" in data and data["rules"] is not None:
        rules = [str(r).strip() for r in data["rules"] if str(r).strip()]
        if len(rules) > 50 or any(len(r) > 1000 for r in rules):
            raise InvalidInput("invalid_rules", field="rules")
        out["rules"] = rules
    if "handoff_rules" in data and data["handoff_rules"] is not None:
        out["handoff_rules"] = _clean_handoff(data["handoff_rules"])
    if "is_active" in data and data["is_active"] is not None:
        out["is_active"] = bool(data["is_active"])
    return out


def _clean_handoff(rules: dict[str, Any]) -> dict[str, Any]:
    clean = dict(DEFAULT_HANDOFF_RULES)
    for key, default in DEFAULT_HANDOFF_RULES.items():
        if key not in rules:
            continue
        value = rules[key]
        if isinstance(default, bool):
            clean[key] = bool(value)
        elif key in ("keywords", "cancellation_exceptions"):
            words = value.split(",") if isinstance(value, str) else list(value or [])
            clean[key] = [w.strip() for w in words if str(w).strip()][:50]
        elif key in ("min_confidence", "max_turns_without_progress"):
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise InvalidInput(f"invalid_{key}", field=key) from exc
            clean[key] = min(1.0, max(0.0, number)) if key == "min_confidence" else \
                min(20, max(0, int(number)))
        else:
            clean[key] = str(value or "")[:1000]
    return clean


def create_agent(session: Session, actor: Actor, data: dict[str, Any]) -> AgentView:
    actor.require(Permission.AGENTS_MANAGE)
    values = clean_settings(data)
    if "name" not in values:
        raise InvalidInput("invalid_agent_name", field="name")
    agent = Agent(organization_id=actor.require_org(), **values)
    session.add(agent)
    session.flush()
    audit.record(session, actor, "agent.created", target_type="agent", target_id=agent.id)
    session.commit()
    return _view(session, agent)


def update_agent(session: Session, actor: Actor, agent_id: RecordId, data: dict[str, Any]) -> AgentView:
    actor.require(Permission.AGENTS_MANAGE)
    agent = _get(session, actor, agent_id)
    values = clean_settings(data)
    if "handoff_rules" in values:
        # A form sends only the keys it shows: keep every stored key it left out.
        sent = data["handoff_rules"]
        stored = {**DEFAULT_HANDOFF_RULES, **(agent.handoff_rules or {})}
        values["handoff_rules"] = {**stored, **{k: v for k, v in values["handoff_rules"].items()
                                                if k in sent}}
    for name, value in values.items():
        setattr(agent, name, value)
    agent.updated_at = utcnow()
    session.add(agent)
    audit.record(session, actor, "agent.updated", target_type="agent", target_id=agent.id,
                 details={"changed": sorted(values)})
    session.commit()
    cache.delete(_cache_key(agent.id))
    return _view(session, agent)


def set_channels(session: Session, actor: Actor, agent_id: RecordId, channel_ids: list[str]) -> None:
    """Which channels this agent answers (a channel has one agent at most)."""
    actor.require(Permission.AGENTS_MANAGE)
    agent = _get(session, actor, agent_id)
    wanted = {parse_id(c) for c in channel_ids}
    for channel in session.exec(select(Channel).where(
            Channel.organization_id == agent.organization_id)).all():
        if channel.id in wanted:
            channel.agent_id = agent.id
        elif channel.agent_id == agent.id:
            channel.agent_id = None
        session.add(channel)
    session.commit()


# ------------------------------------------------------------------ knowledge

@dataclass(frozen=True)
class KnowledgeView:
    id: str
    kind: str
    title: str
    preview: str
    status: str
    progress: int
    error: str | None
    chunks: int


def list_knowledge(session: Session, actor: Actor, agent_id: RecordId) -> list[KnowledgeView]:
    actor.require(Permission.AGENTS_VIEW)
    agent = _get(session, actor, agent_id)
    items = session.exec(select(KnowledgeItem).where(KnowledgeItem.agent_id == agent.id)
                         .order_by(col(KnowledgeItem.created_at).desc())).all()
    counts = dict(session.exec(
        select(KnowledgeChunk.item_id, func.count()).where(KnowledgeChunk.agent_id == agent.id)
        .group_by(col(KnowledgeChunk.item_id))).all())
    return [KnowledgeView(str(i.id), i.kind, i.title, i.content[:200], i.status, i.progress,
                          i.error, counts.get(i.id, 0)) for i in items]


def add_faq(session: Session, actor: Actor, agent_id: RecordId, question: str, answer: str) -> str:
    actor.require(Permission.AGENTS_MANAGE)
    agent = _get(session, actor, agent_id)
    question, answer = (question or "").strip(), (answer or "").strip()
    if not 3 <= len(question) <= 300:
        raise InvalidInput("invalid_question", field="question")
    if not 1 <= len(answer) <= 4000:
        raise InvalidInput("invalid_answer", field="answer")
    item = KnowledgeItem(organization_id=agent.organization_id, agent_id=agent.id,
                         kind=KnowledgeKind.FAQ, title=question, content=answer,
                         status=KnowledgeStatus.READY, progress=100)
    session.add(item)
    session.flush()
    session.add(KnowledgeChunk(organization_id=agent.organization_id, agent_id=agent.id,
                               item_id=item.id, text=answer))
    session.commit()
    return str(item.id)


def add_document(session: Session, actor: Actor, agent_id: RecordId, filename: str, data: bytes) -> str:
    """Store an uploaded document for processing; the caller enqueues ``process_document``."""
    actor.require(Permission.AGENTS_MANAGE)
    agent = _get(session, actor, agent_id)
    filename = (filename or "").strip()[-200:]
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("document_too_large", max_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
    try:
        text = knowledge.extract_text(filename, data)
    except ValueError as exc:
        raise InvalidInput("unsupported_document", field="file") from exc
    except Exception as exc:  # a broken PDF: say so, store nothing
        raise InvalidInput("unreadable_document", field="file") from exc
    if not text.strip():
        raise InvalidInput("empty_document", field="file")
    item = KnowledgeItem(organization_id=agent.organization_id, agent_id=agent.id,
                         kind=KnowledgeKind.DOCUMENT, title=filename, content=text,
                         status=KnowledgeStatus.PROCESSING)
    session.add(item)
    session.commit()
    return str(item.id)


def delete_knowledge(session: Session, actor: Actor, item_id: RecordId) -> None:
    actor.require(Permission.AGENTS_MANAGE)
    item = session.exec(select(KnowledgeItem).where(
        KnowledgeItem.id == parse_id(item_id),
        KnowledgeItem.organization_id == actor.require_org())).first()
    if item is None:
        raise NotFound()
    session.exec(delete(KnowledgeChunk).where(col(KnowledgeChunk.item_id) == item.id))
    session.delete(item)
    session.commit()

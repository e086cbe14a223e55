"""Small helpers that put rows in the database for tests (no bcrypt per row)."""

from __future__ import annotations

import functools
import uuid

from sqlmodel import Session, col, select

from smarterchat.backend.models import (
    Agent,
    Channel,
    ChannelKind,
    Contact,
    Conversation,
    Lead,
    Membership,
    Message,
    Organization,
    PipelineStage,
    Role,
    User,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.security import passwords
from smarterchat.backend.services.actors import Actor, load_actor

PASSWORD = "correct horse battery 9"


@functools.cache
def password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def make_org(session: Session, name: str = "Org") -> Organization:
    org = Organization(name=name, slug=f"{name.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}")
    session.add(org)
    session.commit()
    return org


def make_user(session: Session, org: Organization | None, role: Role = Role.ADMIN, *,
              email: str | None = None, superadmin: bool = False) -> User:
    user = User(email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.com", name=f"{role} user",
                password_hash=password_hash(), is_superadmin=superadmin)
    session.add(user)
    session.flush()
    if org is not None:
        session.add(Membership(organization_id=org.id, user_id=user.id, role=role))
    session.commit()
    return user


def actor_for(session: Session, user: User, org: Organization | None) -> Actor:
    return load_actor(session, user.id, org.id if org else None)


def make_conversation(session: Session, org: Organization) -> tuple[Channel, Contact, Conversation,
                                                                    Message]:
    agent = Agent(organization_id=org.id, name="Agent")
    session.add(agent)
    session.flush()
    channel = Channel(organization_id=org.id, kind=ChannelKind.WHATSAPP, name="WhatsApp",
                      agent_id=agent.id, external_id=uuid.uuid4().hex[:12],
                      access_token="EAAG-secret-token-value", app_secret="app-secret-value-123")
    session.add(channel)
    session.flush()
    contact = Contact(organization_id=org.id, channel_id=channel.id, external_id="5511999990000",
                      name="Cliente")
    session.add(contact)
    session.flush()
    conversation = Conversation(organization_id=org.id, channel_id=channel.id,
                                contact_id=contact.id, agent_id=agent.id,
                                last_inbound_at=utcnow())
    session.add(conversation)
    session.flush()
    message = Message(organization_id=org.id, conversation_id=conversation.id,
                      channel_id=channel.id, text="Olá", provider_message_id="wamid.1")
    session.add(message)
    session.commit()
    return channel, contact, conversation, message


def make_lead(session: Session, org: Organization, contact: Contact, *, stage: int = 0,
              **values: object) -> Lead:
    """A lead of ``contact`` in the ``stage``-th stage of the organisation's default pipeline."""
    from smarterchat.backend.services.crm import defaults

    pipeline = defaults.default_pipeline(session, org.id)
    stages = session.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)
                          .order_by(col(PipelineStage.position))).all()
    lead = Lead(organization_id=org.id, contact_id=contact.id, pipeline_id=pipeline.id,
                stage_id=stages[stage].id, **values)
    session.add(lead)
    session.commit()
    return lead

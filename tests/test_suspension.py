"""A suspended organisation stops working (issue 18): no AI work, no sends, no web chat,
and its inbound events wait unprocessed, to be processed when it is reactivated. On the
embedded SQLite default and on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from smarterchat.backend import events, fastpath
from smarterchat.backend.channels.base import OutboundContent
from smarterchat.backend.models import (
    AuditLog,
    Channel,
    ChannelKind,
    Conversation,
    InboundEvent,
    Message,
    Organization,
    Role,
)
from smarterchat.backend.services import ai_turn, ingest, organizations, outbound, webchat
from smarterchat.backend.services.errors import InvalidInput, PermissionDenied
from tests.factories import actor_for, make_conversation, make_org, make_user
from tests.fakes import meta


@pytest.fixture
def org(session):
    return make_org(session, "Suspensa")


@pytest.fixture
def superadmin(session):
    user = make_user(session, None, superadmin=True)
    return actor_for(session, user, None)


def _store(org_id, channel_id, wamid: str, sender: str) -> None:
    payload = meta.whatsapp_message(PHONE_ID, wamid, sender=sender)

    async def store():
        await ingest.store_event(org_id, channel_id, [(sender, json.dumps(payload))])
        await fastpath.close()
    asyncio.run(store())


PHONE_ID = "106540352249999"


@pytest.fixture
def wa(session, org):
    channel = Channel(organization_id=org.id, kind=ChannelKind.WHATSAPP, name="WA",
                      external_id=PHONE_ID, access_token="tok", app_secret="s")
    session.add(channel)
    session.commit()
    return channel


def _messages(session, channel_id):
    """The customers' messages (an organisation's notices to them go the other way)."""
    session.expire_all()
    return session.exec(select(Message).where(Message.channel_id == channel_id,
                                              Message.direction == "inbound")).all()


def test_only_a_super_admin_suspends_and_it_is_audited(session, org, superadmin):
    admin = actor_for(session, make_user(session, org, Role.ADMIN), org)
    with pytest.raises(PermissionDenied):
        organizations.set_active(session, admin, org.id, False)
    session.expire_all()
    assert session.get(Organization, org.id).is_active
    organizations.set_active(session, superadmin, org.id, False)
    (entry,) = session.exec(select(AuditLog).where(AuditLog.organization_id == org.id)).all()
    assert entry.action == "organization.suspended" and entry.actor_user_id == superadmin.user_id


def test_inbound_events_are_held_while_suspended_and_processed_on_reactivation(
        session, org, wa, superadmin):
    import tasks
    from tasks import channels as channel_tasks

    organizations.set_active(session, superadmin, org.id, False)
    _store(org.id, wa.id, "wamid.HELD-1", "5511977770001")
    assert ingest.process_pending(wa.id, "5511977770001") == 0
    assert _messages(session, wa.id) == []
    session.expire_all()
    (event,) = session.exec(select(InboundEvent)).all()
    assert event.status == "pending" and event.attempts == 0
    # The sweeper does not pick it up while suspended either.
    assert ingest.stale_conversations(timedelta(seconds=-1)) == []

    tasks.huey.immediate = True
    events.subscribe(events.OrganizationReactivated, channel_tasks.on_organization_reactivated)
    try:
        organizations.set_active(session, superadmin, org.id, True)
    finally:
        events.unsubscribe(events.OrganizationReactivated,
                           channel_tasks.on_organization_reactivated)
        tasks.huey.immediate = False
    (message,) = _messages(session, wa.id)
    assert message.provider_message_id == "wamid.HELD-1" and message.author_kind == "contact"
    assert session.get(InboundEvent, event.id).status == "processed"


def test_the_ai_does_not_answer_for_a_suspended_organisation(session, org, superadmin):
    _, _, conversation, _ = make_conversation(session, org)
    organizations.set_active(session, superadmin, org.id, False)
    result = ai_turn.respond(conversation.id)
    assert not result.sent
    session.expire_all()
    assert [m.author_kind for m in session.exec(select(Message).where(
        Message.conversation_id == conversation.id)).all()] == ["contact"]


def test_nothing_is_sent_for_a_suspended_organisation(session, org, superadmin):
    _, _, conversation, _ = make_conversation(session, org)
    queued = outbound.queue_message(session, session.get(Conversation, conversation.id),
                                    OutboundContent(text="Olá!"), author_kind="consultant")
    organizations.set_active(session, superadmin, org.id, False)
    assert outbound.deliver(queued.id).done
    session.expire_all()
    failed = session.get(Message, queued.id)
    assert failed.delivery_status == "failed" and failed.error_code == "organization_suspended"
    assert failed.provider_message_id is None  # never reached the provider


def test_the_web_chat_of_a_suspended_organisation_takes_no_messages(session, org, superadmin):
    channel = Channel(organization_id=org.id, kind=ChannelKind.WEBCHAT, name="Site")
    session.add(channel)
    session.commit()
    organizations.set_active(session, superadmin, org.id, False)
    assert not webchat.widget(session, channel.id).is_active  # the page says it is paused
    with pytest.raises(InvalidInput) as refused:
        webchat.send(session, channel.id, webchat.new_visitor_id(), "Oi", client_id=uuid.uuid4().hex)
    assert refused.value.code == "channel_disabled"
    assert _messages(session, channel.id) == []

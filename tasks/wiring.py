"""Which listener hears which domain event: the one place they are connected.

Called by the app (``backend.api.app``) and by the worker (importing ``tasks``, which
``huey_consumer tasks.huey`` does); connecting twice is harmless. Listeners only
publish to browsers (``realtime``) or enqueue tasks, from what the event carries.
"""

from __future__ import annotations

from smarterchat.backend import events, realtime
from tasks import ai, channels, crm, customer, inbox, mail, webhooks


def connect_listeners() -> None:
    subscriptions = [
        (events.MessageCreated, realtime.on_message),
        (events.OutboundQueued, realtime.on_message),
        (events.MessageStatusChanged, realtime.on_message),
        (events.MessageReacted, realtime.on_message),
        (events.ConversationChanged, realtime.on_conversation_changed),
        (events.PresenceChanged, realtime.on_presence_changed),
        (events.ConsultantTyping, realtime.on_typing),
        (events.MessageCreated, ai.on_message_created),
        (events.ConversationChanged, ai.on_conversation_changed),
        (events.MessageCreated, inbox.on_message_created),
        (events.ConversationChanged, inbox.on_conversation_changed),
        (events.PresenceChanged, inbox.on_presence_changed),
        (events.MessageCreated, channels.on_message_created),
        (events.OutboundQueued, channels.on_outbound_queued),
        (events.MessageCreated, webhooks.on_message),
        (events.OutboundQueued, webhooks.on_message),
        (events.ConversationChanged, webhooks.on_conversation_changed),
        *((kind, webhooks.on_lead_event) for kind in events.LEAD_EVENTS),
        (events.EmailRequested, mail.on_email_requested),
        (events.OrganizationReactivated, channels.on_organization_reactivated),
        # after distribution: a conversation someone took gets no waiting notice
        (events.ConversationChanged, customer.on_conversation_changed),
        (events.MessageCreated, customer.on_message_created),
    ]
    subscriptions += [(kind, realtime.on_lead) for kind in events.LEAD_EVENTS]
    subscriptions += [(events.TaskDue, realtime.on_task_due),
                      (events.LeadCreated, crm.on_lead_qualified),
                      (events.LeadTemperatureChanged, crm.on_lead_qualified),
                      (events.ConversationChanged, crm.on_conversation_changed)]
    for kind, listener in subscriptions:
        events.subscribe(kind, listener)

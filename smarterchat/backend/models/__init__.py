"""All tables, imported here so SQLModel.metadata (and Alembic) sees every one."""

from smarterchat.backend.models.accounts import AccountLink, AccountLinkKind
from smarterchat.backend.models.channels import (
    Agent,
    Channel,
    ChannelKind,
    InboundEvent,
    InboundEventStatus,
)
from smarterchat.backend.models.conversations import (
    CONVERSATION_TRANSITIONS,
    DELIVERY_RANK,
    AuthorKind,
    Contact,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
)
from smarterchat.backend.models.crm import AIUsage, Lead, Stage, Temperature
from smarterchat.backend.models.integrations import DeliveryState, Webhook, WebhookDelivery
from smarterchat.backend.models.knowledge import (
    KnowledgeChunk,
    KnowledgeItem,
    KnowledgeKind,
    KnowledgeStatus,
)
from smarterchat.backend.models.tenancy import (
    ApiKey,
    AuditLog,
    Availability,
    DistributionMode,
    Membership,
    Organization,
    RecoveryCode,
    RefreshToken,
    Role,
    Team,
    User,
)

__all__ = [
    "AccountLink",
    "AccountLinkKind",
    "CONVERSATION_TRANSITIONS",
    "DELIVERY_RANK",
    "AIUsage",
    "Agent",
    "ApiKey",
    "AuditLog",
    "AuthorKind",
    "Availability",
    "Channel",
    "ChannelKind",
    "Contact",
    "Conversation",
    "ConversationStatus",
    "DeliveryState",
    "DeliveryStatus",
    "Direction",
    "DistributionMode",
    "InboundEvent",
    "InboundEventStatus",
    "KnowledgeChunk",
    "KnowledgeItem",
    "KnowledgeKind",
    "KnowledgeStatus",
    "Lead",
    "Membership",
    "Message",
    "Organization",
    "RecoveryCode",
    "RefreshToken",
    "Role",
    "Stage",
    "Team",
    "Temperature",
    "User",
    "Webhook",
    "WebhookDelivery",
]

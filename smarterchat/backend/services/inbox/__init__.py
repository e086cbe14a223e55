"""The shared inbox: ``queries`` reads (list, counts, thread, contact panel, transfer
targets), ``actions`` changes (take over, reply, transfer, resolve...). Callers use
``inbox.<name>`` for either; the two modules keep reading and acting apart."""

from smarterchat.backend.services.inbox.actions import (
    attach,
    mark_read,
    reopen,
    reply,
    resolve,
    return_to_ai,
    set_labels,
    take_over,
    transfer,
    transfer_to_team,
    typing,
)
from smarterchat.backend.services.inbox.queries import (
    OPEN_STATUSES,
    PAGE_SIZE,
    TABS,
    ContactPanel,
    ConversationRow,
    Counts,
    Page,
    ThreadMessage,
    consultants,
    contact_panel,
    conversation_row,
    counts,
    list_conversations,
    team_targets,
    thread,
)

__all__ = [
    "OPEN_STATUSES", "PAGE_SIZE", "TABS", "ContactPanel", "ConversationRow", "Counts", "Page",
    "ThreadMessage", "attach", "consultants", "contact_panel", "conversation_row", "counts",
    "list_conversations", "mark_read", "reopen", "reply", "resolve", "return_to_ai",
    "set_labels", "take_over", "team_targets", "thread", "transfer", "transfer_to_team",
    "typing",
]

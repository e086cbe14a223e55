"""What the conversation's own thread says: the reasons a conversation is handed to a
person and the system lines written when it changes hands (assigned, transferred,
returned to the AI, resolved, reopened).

Those sentences are still written in ``backend/services/ai_replies.py``; they move here
with the conversation-transitions module, which writes each line through ``translate``.
The inbox's own labels for handoff reasons (``inbox.reason_*``) stay in the inbox catalog.
"""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {}

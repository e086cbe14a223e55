"""The AI's work: answering customers a moment after they write, and reading documents."""

from __future__ import annotations

import heapq
import logging
import threading
import time
import uuid

from huey import RedisHuey

from smarterchat.backend import events
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import AuthorKind, ConversationStatus
from smarterchat.backend.services import ai_documents, ai_memory, ai_turn
from tasks.queue import huey

log = logging.getLogger(__name__)


def _turn_flag(conversation_id: str) -> str:
    return f"ai-queued:{conversation_id}"


@huey.task(retries=3, retry_delay=5)
def answer_conversation(conversation_id: str) -> bool:
    # Cleared first: a message that arrives while the model thinks queues the next turn.
    huey.delete(_turn_flag(conversation_id))
    return ai_turn.respond(uuid.UUID(conversation_id)).sent


def on_message_created(event: events.MessageCreated) -> None:
    """A customer wrote in a conversation the AI handles: answer after a short pause, so a
    burst of messages ("oi" / "tudo bem?" / "quanto custa?") gets one reply."""
    if event.author_kind != AuthorKind.CONTACT:
        return
    if event.conversation_status != ConversationStatus.BOT:
        learn_from_customer(str(event.conversation_id))  # a person answers; the lead learns
        return
    turn = str(event.conversation_id)
    if huey.put_if_empty(_turn_flag(turn), "1"):
        delay = get_settings().ai_coalesce_seconds
        if delay <= 0:
            answer_conversation(turn)
        elif isinstance(huey, RedisHuey) and not huey.immediate:
            deadlines.add(turn, delay)
        else:
            # The embedded queue (one process): Huey's schedule survives a restart.
            answer_conversation.schedule((turn,), delay=delay)


class Deadlines:
    """Coalescing deadlines kept in Redis and fired by the process that set them.

    Huey's scheduler ticks once a second and its queue may be busy; a turn due in 2 s
    should start at 2 s. The process whose worker stored the message keeps a timer and
    enqueues the turn when it is due; the deadline also sits in a Redis sorted set, and
    whoever removes it from there enqueues the turn, so it starts exactly once. A
    deadline whose process died is taken over by any process's timer a few seconds late.
    """

    KEY = "smarterchat:ai-due"
    TAKE_OVER_AFTER = 5.0  # seconds past due before another process fires a deadline

    def __init__(self) -> None:
        self._heap: list[tuple[float, str]] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, conversation_id: str, delay: float) -> None:
        due = time.time() + delay
        huey.storage.conn.zadd(self.KEY, {conversation_id: due}, nx=True)
        with self._wake:
            heapq.heappush(self._heap, (due, conversation_id))
            self._wake.notify()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ai-deadlines",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        next_sweep = 0.0
        while True:
            with self._wake:
                now = time.time()
                wait = min(1.0, self._heap[0][0] - now) if self._heap else 1.0
                if wait > 0:
                    self._wake.wait(wait)
                now = time.time()
                due = []
                while self._heap and self._heap[0][0] <= now:
                    due.append(heapq.heappop(self._heap)[1])
            try:
                for conversation_id in due:
                    self.fire(conversation_id)
                if now >= next_sweep:
                    next_sweep = now + 1.0
                    for raw in huey.storage.conn.zrangebyscore(
                            self.KEY, 0, now - self.TAKE_OVER_AFTER, start=0, num=100):
                        self.fire(raw.decode())
            except Exception:
                log.exception("could not start a due AI turn; retried on the next sweep")

    def fire(self, conversation_id: str) -> bool:
        if not huey.storage.conn.zrem(self.KEY, conversation_id):
            return False  # another process started it
        answer_conversation(conversation_id)
        return True


deadlines = Deadlines()


@huey.task(retries=2, retry_delay=10)
def learn_from_customer(conversation_id: str) -> None:
    ai_turn.learn_from_customer(uuid.UUID(conversation_id))


@huey.task(retries=2, retry_delay=10)
def process_document(item_id: str) -> None:
    ai_documents.process_document(uuid.UUID(item_id))


@huey.task(retries=2, retry_delay=30)
def summarise_conversation(conversation_id: str) -> None:
    ai_memory.summarise_conversation(uuid.UUID(conversation_id))


def on_conversation_changed(event: events.ConversationChanged) -> None:
    if event.action == "resolve":  # the conversation ended: remember it for the next one
        summarise_conversation(str(event.conversation_id))

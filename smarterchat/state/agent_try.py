"""The agent page's "try it" chat: a conversation with the agent as the form shows it,
saved or not. It is a substate of the form, so it reads the form's fields as typed.

The model call runs as a background event (the page stays usable meanwhile); a reset
while it thinks makes its answer land nowhere (``_try_round``).
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from smarterchat.backend.services import ai_assist
from smarterchat.state.agent_form import AgentFormState


@dataclasses.dataclass
class TryTurn:
    customer: str = ""
    reply: str = ""
    handoff: bool = False
    reason: str = ""
    intent: str = ""
    confidence: int = 0  # percent
    sources: list[str] = dataclasses.field(default_factory=list)


def _turns(turns: list[ai_assist.PreviewTurn]) -> list[TryTurn]:
    return [TryTurn(customer=t.customer, reply=t.reply, handoff=t.handoff,
                    reason=t.reason or "", intent=t.intent,
                    confidence=round((t.confidence or 0) * 100), sources=list(t.sources))
            for t in turns]


class AgentTryState(AgentFormState):
    try_turns: list[TryTurn] = []
    try_pending: str = ""
    try_busy: bool = False
    try_error: str = ""
    _try_round: int = 0

    @rx.var
    def try_closed(self) -> bool:
        return any(t.handoff for t in self.try_turns)

    def _reset_part(self) -> None:
        self.try_turns, self.try_pending, self.try_error = [], "", ""
        self._try_round += 1

    @rx.event(background=True)
    async def try_send(self, form: dict):
        text = str(form.get("message") or "").strip()
        round_box: list[int] = []

        def start() -> tuple | None:
            if not text or self.try_closed:
                return None
            self.try_error = ""
            self.try_pending = text
            round_box.append(self._try_round)
            return (self.agent_key, self._draft(), [t.customer for t in self.try_turns] + [text])

        def answered(turns: list[ai_assist.PreviewTurn]) -> None:
            if round_box == [self._try_round]:  # not reset meanwhile
                self.try_turns = _turns(turns)
                self.try_pending = ""

        def refused(exc: Exception) -> None:
            if round_box == [self._try_round]:
                self.try_error = self._error(exc)
                self.try_pending = ""

        async for event in self._background(ai_assist.preview, busy="try_busy", start=start,
                                            then=answered, fail=refused):
            yield event

    @rx.event
    def try_reset(self):
        self._try_round += 1
        self.try_turns = []
        self.try_pending = self.try_error = ""
        self.try_busy = False

"""The lead section of the inbox's contact panel: stage, value and owner changed beside
the conversation (the board follows live), or a lead created from it."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services.crm import actions, conversation_lead
from smarterchat.state.crm import Option, _cents, _money
from smarterchat.state.session import PageState


class InboxLeadState(PageState):
    conversation_id: str = ""
    lead_id: str = ""
    stage_id: str = ""
    stages: list[Option] = []
    won_stages: list[str] = []
    lost_stages: list[str] = []
    value: str = ""
    owner_id: str = ""
    owners: list[Option] = []
    busy: bool = False
    lead_error: str = ""
    lost_reason: str = ""

    @rx.event
    async def load(self, conversation_id: str):
        self.conversation_id = conversation_id
        self.lead_id = ""
        if conversation_id:
            await self._reread(conversation_lead.brief, conversation_id, then=self._take)

    def _take(self, found: conversation_lead.LeadBrief) -> None:
        self.lead_id, self.stage_id, self.owner_id = found.lead_id, found.stage_id, found.owner_id
        self.stages = [Option(id=i, name=n) for i, n, _ in found.stages]
        self.won_stages = [i for i, _, kind in found.stages if kind == "won"]
        self.lost_stages = [i for i, _, kind in found.stages if kind == "lost"]
        self.value = _money(found.value_cents, self.lang).replace("R$ ", "")
        self.owners = [Option(id=i, name=n) for i, n in found.owners]

    async def _reload(self, _result: object = None) -> None:
        await self._reread(conversation_lead.brief, self.conversation_id, then=self._take)

    @rx.event
    def set_value(self, value: str):
        self.value = value

    @rx.event
    def set_lost_reason(self, value: str):
        self.lost_reason = value

    @rx.event
    async def set_stage(self, stage_id: str):
        async for step in self._action(actions.move, self.lead_id, stage_id, to_top=True,
                                       value_cents=_cents(self.value),
                                       lost_reason=self.lost_reason, busy="busy",
                                       error="lead_error", then=self._reload):
            yield step

    @rx.event
    async def save_value(self):
        cents = _cents(self.value)
        if self.value.strip() and cents is None:
            self.lead_error = self._t("error.invalid_lead_value")
            return
        async for step in self._action(actions.update, self.lead_id, value_cents=cents,
                                       clear_value=cents is None, busy="busy",
                                       error="lead_error", then=self._reload):
            yield step

    @rx.event
    async def set_owner(self, owner_id: str):
        async for step in self._action(actions.set_owner, self.lead_id,
                                       None if owner_id == "none" else owner_id, busy="busy",
                                       error="lead_error", then=self._reload):
            yield step

    @rx.event
    async def create(self):
        async for step in self._action(conversation_lead.create_for_conversation,
                                       self.conversation_id, busy="busy", error="lead_error",
                                       then=self._reload):
            yield step

"""A new organisation and its first admin, signed in straight away."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import auth
from smarterchat.backend.services.auth import TokenPair
from smarterchat.state.session import AppState


class SignupState(AppState):
    busy: bool = False
    error: str = ""

    @rx.event
    async def load(self):
        self.busy = False
        self.error = ""
        if self.refresh_token:
            actor = await self._actor()
            if actor is not None:
                return rx.redirect(self._home_for(actor))
        return None

    @rx.event
    def signup(self, form: dict):
        return self._action(
            auth.signup, organization_name=str(form.get("organization_name") or ""),
            name=str(form.get("name") or ""), email=str(form.get("email") or ""),
            password=str(form.get("password") or ""), ip=self._client()["ip"],
            user_agent=self._client()["user_agent"], signed_in=False, busy="busy",
            then=self._signed_up)

    def _signed_up(self, pair: TokenPair) -> EventSpec:
        self._store(pair)
        return rx.redirect("/")

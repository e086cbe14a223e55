"""A new organisation and its first admin: the form, then "check your e-mail"."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import accounts
from smarterchat.state.session import AppState


class SignupState(AppState):
    busy: bool = False
    error: str = ""
    sent_to: str = ""  # the address the confirmation link went to

    @rx.event
    async def load(self):
        self.busy = False
        self.error = self.sent_to = ""
        if self.refresh_token:
            actor = await self._actor()
            if actor is not None:
                return rx.redirect(self._home_for(actor))
        return None

    @rx.event
    def signup(self, form: dict):
        return self._action(
            accounts.start_signup, organization_name=str(form.get("organization_name") or ""),
            name=str(form.get("name") or ""), email=str(form.get("email") or ""),
            password=str(form.get("password") or ""), locale=self.lang,
            ip=self._client()["ip"], signed_in=False, busy="busy", then=self._sent)

    def _sent(self, email: str) -> None:
        self.sent_to = email

    @rx.event
    def start_over(self):
        self.sent_to = ""

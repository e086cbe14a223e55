"""A new organisation and its first admin, signed in straight away."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import auth
from smarterchat.state.session import AppState, call


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
    async def signup(self, form: dict):
        self.busy = True
        self.error = ""
        yield
        try:
            pair = await call(
                auth.signup,
                organization_name=str(form.get("organization_name") or ""),
                name=str(form.get("name") or ""),
                email=str(form.get("email") or ""),
                password=str(form.get("password") or ""),
                **self._client(),
            )
        except Exception as exc:  # noqa: BLE001 - shown translated
            self.error = self._message(exc)
            self.busy = False
            return
        self._store(pair)
        self.busy = False
        yield rx.redirect("/")

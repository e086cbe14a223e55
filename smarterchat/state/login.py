"""Sign-in: password first, then the second factor when the account has one."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.config import get_settings
from smarterchat.backend.services import auth, overview
from smarterchat.backend.services.auth import TokenPair
from smarterchat.i18n import LOCALES, error_message
from smarterchat.state.session import AppState, call, safe_next

log = logging.getLogger(__name__)


class LoginState(AppState):
    step: str = "password"  # "password" or "code"
    busy: bool = False
    error: str = ""
    notice: str = ""
    show_demo: bool = False
    # The signed proof that the password was right, good for the code step only.
    _challenge: str = ""
    _next: str = ""

    @rx.event
    async def load(self):
        settings = get_settings()
        self.show_demo = settings.demo_data and not settings.is_production
        params = self.router.url.query_parameters
        self._next = safe_next(params.get("next"))
        self.notice = self._t("login.signed_out") if "bye" in params else ""
        self.error = ""
        self.busy = False
        self.step = "password"
        self._challenge = ""
        if self.refresh_token:
            actor = await self._actor()
            if actor is not None:
                return rx.redirect(self._next or self._home_for(actor))
        return None

    async def _finish(self, pair: TokenPair) -> EventSpec:
        self._store(pair)
        self._challenge = ""
        self.step = "password"
        self.busy = False
        self.notice = ""
        try:  # the language saved in the profile follows the person to a new device
            profile = await call(overview.profile, pair.actor)
            if profile.locale in LOCALES:
                self.locale = profile.locale
        except Exception:  # noqa: BLE001 - a missing preference must not block sign-in
            log.warning("could not read the saved language", exc_info=True)
        return rx.redirect(self._next or self._home_for(pair.actor))

    @rx.event
    def login(self, form: dict):
        email = str(form.get("email") or "").strip()
        password = str(form.get("password") or "")
        self.notice = ""
        if not email or not password:
            self.error = self._t("login.missing_fields")
            return None
        client = self._client()
        return self._action(auth.login, email=email, password=password, ip=client["ip"],
                            user_agent=client["user_agent"], signed_in=False, busy="busy",
                            then=self._password_accepted)

    async def _password_accepted(self, result: auth.LoginResult) -> EventSpec | None:
        if result.needs_two_factor:
            self._challenge = result.challenge or ""
            self.step = "code"
            return None
        assert result.tokens is not None  # no challenge means the login is complete
        return await self._finish(result.tokens)

    @rx.event
    def verify_code(self, form: dict):
        code = "".join(str(form.get("code") or "").split())
        if not code:
            self.error = self._t("login.code_missing")
            return None
        if not self._challenge:
            self.step = "password"
            self.error = error_message("challenge_expired", self.locale)
            return None
        client = self._client()
        return self._action(auth.complete_two_factor, challenge=self._challenge, code=code,
                            ip=client["ip"], user_agent=client["user_agent"], signed_in=False,
                            busy="busy", explain=self._code_refused, then=self._finish)

    def _code_refused(self, exc: Exception) -> str:
        # These end the code step: the password must be typed again.
        if getattr(exc, "code", "") in ("challenge_expired", "token_invalid",
                                        "account_inactive"):
            self.step = "password"
            self._challenge = ""
        return self._message(exc)

    @rx.event
    def restart(self):
        self.step = "password"
        self._challenge = ""
        self.error = ""

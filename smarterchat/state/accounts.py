"""The pages a link in an e-mail opens: confirm a sign-up, reset a password, accept an
invitation; and "forgot my password". The link's token is read from the address and kept
only until it is used."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import accounts
from smarterchat.backend.services.auth import TokenPair
from smarterchat.state.session import AppState


class LinkState(AppState):
    """Common to the pages opened from an e-mail link."""

    busy: bool = False
    error: str = ""
    notice: str = ""
    _token: str = ""

    def _read_token(self) -> None:
        self.busy = False
        self.error = self.notice = ""
        self._token = str(self.router.url.query_parameters.get("token") or "")

    def _signed_in(self, pair: TokenPair) -> EventSpec:
        self._token = ""
        self._store(pair)
        return rx.redirect(self._home_for(pair.actor))


class VerifyState(LinkState):
    @rx.event
    def load(self):
        self._read_token()
        client = self._client()
        return self._action(accounts.confirm_signup, token=self._token, ip=client["ip"],
                            user_agent=client["user_agent"], signed_in=False, busy="busy",
                            then=self._signed_in)


class ForgotState(LinkState):
    email: str = ""

    @rx.event
    def load(self):
        self._read_token()
        self.email = str(self.router.url.query_parameters.get("email") or "")

    @rx.event
    def send(self, form: dict):
        email = str(form.get("email") or "")
        return self._action(accounts.request_password_reset, email=email, locale=self.lang,
                            ip=self._client()["ip"], signed_in=False, busy="busy",
                            then=lambda _none: self._sent(email))

    def _sent(self, email: str) -> None:
        self.notice = self._t("forgot.sent", email=" ".join(email.split()))


class ResetState(LinkState):
    done: bool = False

    @rx.event
    def load(self):
        self._read_token()
        self.done = False

    @rx.event
    def save(self, form: dict):
        password = str(form.get("password") or "")
        if password != str(form.get("confirm") or ""):
            self.error = self._t("profile.password_mismatch")
            return None
        return self._action(accounts.reset_password, token=self._token, password=password,
                            signed_in=False, busy="busy", then=self._saved)

    def _saved(self, _none: object) -> None:
        self._token = ""
        self.done = True
        self.notice = self._t("reset.done")


class InviteState(LinkState):
    organization: str = ""
    inviter: str = ""
    email: str = ""
    name: str = ""
    has_account: bool = False
    valid: bool = False

    @rx.event
    def load(self):
        self._read_token()
        self.valid = False
        return self._action(accounts.view_invitation, token=self._token, signed_in=False,
                            busy="busy", then=self._show)

    def _show(self, view: accounts.InvitationView) -> None:
        self.valid = True
        self.organization, self.inviter = view.organization_name, view.inviter_name
        self.email, self.name, self.has_account = view.email, view.name, view.has_account

    @rx.var
    def sign_in_href(self) -> str:
        token = self.router.url.query_parameters.get("token", "")
        return "/login?next=" + quote(f"/invite?token={token}", safe="")

    @rx.event
    def accept(self):
        client = self._client()
        return self._action(accounts.accept_invitation, self._token, ip=client["ip"],
                            user_agent=client["user_agent"], busy="busy", then=self._signed_in)

    @rx.event
    def create_account(self, form: dict):
        client = self._client()
        return self._action(accounts.accept_invitation_new_account, token=self._token,
                            name=str(form.get("name") or ""),
                            password=str(form.get("password") or ""), ip=client["ip"],
                            user_agent=client["user_agent"], signed_in=False, busy="busy",
                            then=self._signed_in)

"""My profile: name, language, password and two-step verification."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import auth, overview, users
from smarterchat.backend.services import two_factor as tfa
from smarterchat.backend.services.auth import TokenPair
from smarterchat.i18n import LOCALES
from smarterchat.state.session import PageState


class ProfileState(PageState):
    name: str = ""
    email: str = ""
    language: str = "pt-BR"
    two_factor: bool = False
    codes_left: int = 0

    details_busy: bool = False
    details_error: str = ""
    details_notice: str = ""
    password_busy: bool = False
    password_error: str = ""
    password_notice: str = ""
    # a counter the password form keys on, so a success clears its fields
    password_form_key: int = 0

    twofa_busy: bool = False
    twofa_error: str = ""
    twofa_notice: str = ""
    # Shown only while setting up, then forgotten.
    enroll_qr: str = ""
    enroll_secret: str = ""
    recovery_codes: list[str] = []
    disable_open: bool = False
    regen_open: bool = False
    dialog_error: str = ""

    def __getstate__(self):
        # Recovery codes are shown once: never written to the state store (disk or Redis).
        return {**super().__getstate__(), "recovery_codes": []}

    @rx.var
    def enrolling(self) -> bool:
        return self.enroll_secret != ""

    @rx.var
    def secret_grouped(self) -> str:
        s = self.enroll_secret
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))

    @rx.event
    async def load(self):
        self.details_notice = self.password_notice = self.twofa_notice = ""
        self.details_error = self.password_error = self.twofa_error = ""
        self.enroll_qr = self.enroll_secret = ""
        self.recovery_codes = []
        return await self._load(overview.profile, then=self._show)

    def _show(self, prof: overview.Profile) -> None:
        self.name = prof.name
        self.email = prof.email
        self.language = prof.locale if prof.locale in LOCALES else self.lang
        self.two_factor = prof.two_factor
        self.codes_left = prof.recovery_codes_left

    # ------------------------------------------------------------ details

    @rx.event
    def set_language(self, value: str):
        if value in LOCALES:
            self.language = value

    @rx.event
    def save_details(self, form: dict):
        self.details_notice = ""
        name = str(form.get("name") or "")
        return self._action(users.update_profile, name=name, locale=self.language,
                            busy="details_busy", error="details_error",
                            then=lambda _: self._details_saved(name))

    def _details_saved(self, name: str) -> None:
        self.locale = self.language
        self.me_name = " ".join(name.split())
        self.details_notice = self._t("common.saved")

    @rx.event
    def change_password(self, form: dict):
        self.password_notice = ""
        new = str(form.get("new") or "")
        if new != str(form.get("confirm") or ""):
            self.password_error = self._t("profile.password_mismatch")
            return None
        client = self._client()
        return self._action(users.change_password, current=str(form.get("current") or ""),
                            new=new, ip=client["ip"], user_agent=client["user_agent"],
                            busy="password_busy", error="password_error",
                            then=self._password_changed)

    def _password_changed(self, pair: TokenPair) -> None:
        # Every other session ended; this tab carries on with the new one.
        self._store(pair)
        self.password_notice = self._t("profile.password_changed")
        self.password_form_key += 1

    @rx.event
    def begin_enrollment(self):
        self.twofa_notice = ""
        return self._action(tfa.begin_enrollment, busy="twofa_busy", error="twofa_error",
                            then=self._enrolling)

    def _enrolling(self, started: tfa.Enrollment) -> None:
        self.enroll_qr = started.qr_data_uri
        self.enroll_secret = started.secret

    @rx.event
    def cancel_enrollment(self):
        self.enroll_qr = self.enroll_secret = ""
        self.twofa_error = ""

    @rx.event
    def confirm_enrollment(self, form: dict):
        return self._action(tfa.confirm_enrollment, _code(form), busy="twofa_busy",
                            error="twofa_error", then=self._enrolled)

    def _enrolled(self, codes: list[str]) -> None:
        self.enroll_qr = self.enroll_secret = ""
        self.recovery_codes = list(codes)
        self.two_factor = True
        self.codes_left = len(codes)
        self.twofa_notice = self._t("twofa.enabled")

    @rx.event
    def dismiss_codes(self):
        self.recovery_codes = []

    @rx.event
    def set_disable_open(self, value: bool):
        self.disable_open = value
        self.dialog_error = ""

    @rx.event
    def set_regen_open(self, value: bool):
        self.regen_open = value
        self.dialog_error = ""

    @rx.event
    def disable_two_factor(self, form: dict):
        client = self._client()
        return self._action(auth.disable_two_factor, password=str(form.get("password") or ""),
                            code=_code(form), ip=client["ip"], user_agent=client["user_agent"],
                            busy="twofa_busy", error="dialog_error", then=self._disabled)

    def _disabled(self, pair: TokenPair) -> None:
        self._store(pair)
        self.disable_open = False
        self.two_factor = False
        self.codes_left = 0
        self.recovery_codes = []
        self.twofa_notice = self._t("twofa.disabled")

    @rx.event
    def regenerate_codes(self, form: dict):
        return self._action(tfa.regenerate_recovery_codes, _code(form), busy="twofa_busy",
                            error="dialog_error", then=self._regenerated)

    def _regenerated(self, codes: list[str]) -> None:
        self.regen_open = False
        self.recovery_codes = list(codes)
        self.codes_left = len(codes)


def _code(form: dict) -> str:
    """A one-time code as typed, spaces and all."""
    return "".join(str(form.get("code") or "").split())

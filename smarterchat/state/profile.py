"""My profile: name, language, password and two-step verification."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services import overview, users
from smarterchat.backend.services import two_factor as tfa
from smarterchat.i18n import LOCALES
from smarterchat.state.session import Leave, PageState, SignedOut


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
        try:
            await self._read()
        except Leave as leave:
            return leave.event
        self.loaded = True
        return None

    async def _read(self) -> None:
        prof = await self._guarded(overview.profile)
        if prof is not None:
            self.name = prof.name
            self.email = prof.email
            self.language = prof.locale if prof.locale in LOCALES else self.lang
            self.two_factor = prof.two_factor
            self.codes_left = prof.recovery_codes_left

    async def _do(self, fn, *args, **kw):
        """Run a profile action; returns (ok, result) and leaves on a lost session."""
        try:
            return True, await self._as_actor(fn, *args, **kw)
        except SignedOut as exc:
            raise Leave(self._login_redirect()) from exc
        except Exception as exc:  # noqa: BLE001 - shown translated
            return False, self._message(exc)

    # ------------------------------------------------------------ details

    @rx.event
    def set_language(self, value: str):
        if value in LOCALES:
            self.language = value

    @rx.event
    async def save_details(self, form: dict):
        self.details_busy = True
        self.details_error = self.details_notice = ""
        yield
        try:
            ok, result = await self._do(users.update_profile, name=str(form.get("name") or ""),
                                        locale=self.language)
        except Leave as leave:
            self.details_busy = False
            yield leave.event
            return
        self.details_busy = False
        if not ok:
            self.details_error = result
            return
        self.locale = self.language
        self.me_name = " ".join(str(form.get("name") or "").split())
        self.details_notice = self._t("common.saved")

    @rx.event
    async def change_password(self, form: dict):
        new = str(form.get("new") or "")
        if new != str(form.get("confirm") or ""):
            self.password_error = self._t("profile.password_mismatch")
            self.password_notice = ""
            return
        self.password_busy = True
        self.password_error = self.password_notice = ""
        yield
        try:
            ok, result = await self._do(users.change_password,
                                        current=str(form.get("current") or ""), new=new)
        except Leave as leave:
            self.password_busy = False
            yield leave.event
            return
        self.password_busy = False
        if not ok:
            self.password_error = result
            return
        self.password_notice = self._t("profile.password_changed")
        self.password_form_key += 1

    # ------------------------------------------------------------ two-step verification

    @rx.event
    async def begin_enrollment(self):
        self.twofa_busy = True
        self.twofa_error = self.twofa_notice = ""
        yield
        try:
            ok, result = await self._do(tfa.begin_enrollment)
        except Leave as leave:
            self.twofa_busy = False
            yield leave.event
            return
        self.twofa_busy = False
        if not ok:
            self.twofa_error = result
            return
        self.enroll_qr = result.qr_data_uri
        self.enroll_secret = result.secret

    @rx.event
    def cancel_enrollment(self):
        self.enroll_qr = self.enroll_secret = ""
        self.twofa_error = ""

    @rx.event
    async def confirm_enrollment(self, form: dict):
        code = "".join(str(form.get("code") or "").split())
        self.twofa_busy = True
        self.twofa_error = ""
        yield
        try:
            ok, result = await self._do(tfa.confirm_enrollment, code)
        except Leave as leave:
            self.twofa_busy = False
            yield leave.event
            return
        self.twofa_busy = False
        if not ok:
            self.twofa_error = result
            return
        self.enroll_qr = self.enroll_secret = ""
        self.recovery_codes = list(result)
        self.two_factor = True
        self.codes_left = len(result)
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
    async def disable_two_factor(self, form: dict):
        self.twofa_busy = True
        self.dialog_error = ""
        yield
        try:
            ok, result = await self._do(tfa.disable,
                                        password=str(form.get("password") or ""),
                                        code="".join(str(form.get("code") or "").split()))
        except Leave as leave:
            self.twofa_busy = False
            yield leave.event
            return
        self.twofa_busy = False
        if not ok:
            self.dialog_error = result
            return
        self.disable_open = False
        self.two_factor = False
        self.codes_left = 0
        self.recovery_codes = []
        self.twofa_notice = self._t("twofa.disabled")

    @rx.event
    async def regenerate_codes(self, form: dict):
        self.twofa_busy = True
        self.dialog_error = ""
        yield
        try:
            ok, result = await self._do(tfa.regenerate_recovery_codes,
                                        "".join(str(form.get("code") or "").split()))
        except Leave as leave:
            self.twofa_busy = False
            yield leave.event
            return
        self.twofa_busy = False
        if not ok:
            self.dialog_error = result
            return
        self.regen_open = False
        self.recovery_codes = list(result)
        self.codes_left = len(result)

"""The inbox contact panel's LGPD actions: hand a contact their data, or erase it."""

from __future__ import annotations

from typing import Any

import orjson
import reflex as rx
from reflex.event import EventSpec

from smarterchat.backend.services import privacy
from smarterchat.state.session import PageState


class ContactPrivacyState(PageState):
    confirm_open: bool = False
    busy: bool = False
    privacy_error: str = ""
    privacy_notice: str = ""

    @rx.event
    def export(self, contact_id: str):
        self.privacy_notice = ""
        return self._action(privacy.export_contact, contact_id, busy="busy",
                            error="privacy_error", then=self._download)

    def _download(self, document: dict[str, Any]) -> EventSpec:
        return rx.download(data=orjson.dumps(document, option=orjson.OPT_INDENT_2).decode(),
                           filename=f"contato-{document['contact']['id']}.json")

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = bool(value)
        self.privacy_error = ""

    @rx.event
    def erase(self, contact_id: str):
        return self._action(privacy.erase_contact, contact_id, busy="busy",
                            error="privacy_error", then=self._erased)

    def _erased(self, _: privacy.Erasure) -> EventSpec:
        self.confirm_open = False
        self.privacy_notice = self._t("privacy.erased")
        return rx.redirect("/inbox")  # its conversations are gone: back to the list

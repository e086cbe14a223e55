"""The composer under the thread: reply or private note, an attached file, canned
responses, AI drafts, and, when WhatsApp's 24-hour window is closed, the approved
templates instead."""

from __future__ import annotations

import reflex as rx

from smarterchat.backend.services.attachments import MAX_BYTES
from smarterchat.components.common import refused_files
from smarterchat.components.i18n import t
from smarterchat.state.inbox_composer import InboxComposerState as C

UPLOAD_ID = "composer-file"


def _suggestions() -> rx.Component:
    return rx.cond(
        C.suggestions.length() > 0,
        rx.flex(
            rx.foreach(C.suggestions, lambda text: rx.button(
                rx.icon("sparkles", size=12), rx.text(text, size="1", style={
                    "overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}),
                variant="surface", color_scheme="violet", size="1", max_width="100%",
                on_click=C.use_text(text), title=text, data_testid="suggestion")),
            gap="2", wrap="wrap", width="100%",
        ),
    )


def _canned_item(text: rx.Var) -> rx.Component:
    return rx.button(rx.text(text, size="2", text_align="left", style={
        "overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}),
        variant="ghost", color_scheme="gray", width="100%", justify="start",
        on_click=C.use_text(text), data_testid="canned-item")


def _canned() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(rx.icon("message-square-quote", size=16), variant="soft",
                           color_scheme="gray", size="2", type="button",
                           aria_label=t("inbox.canned"), title=t("inbox.canned"),
                           data_testid="canned-button"),
        ),
        rx.popover.content(
            rx.vstack(
                rx.text(t("inbox.canned"), weight="bold", size="2"),
                rx.scroll_area(rx.vstack(rx.foreach(C.canned, _canned_item), spacing="1",
                                         width="100%"),
                               max_height="220px", type="auto"),
                rx.cond(C.custom_canned.length() > 0, rx.flex(
                    rx.foreach(C.custom_canned, lambda text: rx.badge(
                        rx.text(text, max_width="140px", style={
                            "overflow": "hidden", "text_overflow": "ellipsis",
                            "white_space": "nowrap"}),
                        rx.icon("x", size=11, cursor="pointer", on_click=C.remove_canned(text),
                                aria_label=t("inbox.canned_remove")),
                        variant="soft", color_scheme="gray")),
                    gap="1", wrap="wrap")),
                rx.form(
                    rx.hstack(rx.input(name="canned", placeholder=t("inbox.canned_new"),
                                       size="1", flex="1", max_length=1000),
                              rx.button(t("inbox.canned_add"), size="1", type="submit"),
                              spacing="2", width="100%"),
                    on_submit=C.add_canned, reset_on_submit=True, width="100%",
                ),
                rx.text(t("inbox.canned_help"), size="1", color_scheme="gray"),
                spacing="2", width=rx.breakpoints(initial="280px", sm="340px"),
            ),
            side="top", align="start",
        ),
    )


def _attach_button() -> rx.Component:
    return rx.upload.root(
        rx.icon_button(rx.cond(C.attaching, rx.spinner(size="1"), rx.icon("paperclip", size=16)),
                       variant="soft", color_scheme="gray", size="2", type="button",
                       disabled=C.attaching | C.private, aria_label=t("inbox.attach"),
                       title=rx.cond(C.private, t("inbox.attach_not_in_notes"),
                                     t("inbox.attach")),
                       data_testid="attach-button"),
        id=UPLOAD_ID,
        accept=C.attach_accept,
        max_size=MAX_BYTES,
        max_files=1,
        multiple=False,
        no_drag=True,
        disabled=C.attaching | C.private,
        on_drop=C.attach(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=lambda files: C.attach_refused(refused_files(files)),
        border="none",
        padding="0",
        data_testid="attach-upload",
    )


def _pending_attachment() -> rx.Component:
    return rx.cond(
        C.attachment_name != "",
        rx.hstack(
            rx.icon(rx.match(C.attachment_kind, ("image", "image"), ("audio", "audio-lines"),
                             ("video", "film"), "file-text"), size=16,
                    color=rx.color("accent", 11)),
            rx.text(C.attachment_name, size="2", weight="medium", flex="1", min_width="0",
                    style={"overflow": "hidden", "text_overflow": "ellipsis",
                           "white_space": "nowrap"}),
            rx.text(C.attachment_size, size="1", color_scheme="gray"),
            rx.icon_button(rx.icon("x", size=14), variant="ghost", color_scheme="gray",
                           size="1", type="button", on_click=C.remove_attachment,
                           aria_label=t("inbox.attach_remove"), data_testid="attachment-remove"),
            align="center", spacing="2", width="100%", padding="6px 10px",
            background=rx.color("accent", 2), border=f"1px solid {rx.color('accent', 5)}",
            border_radius="var(--radius-2)", data_testid="attachment-pending",
        ),
    )


def _text_composer() -> rx.Component:
    return rx.form(
        rx.vstack(
            _pending_attachment(),
            rx.text_area(
                value=C.draft,
                on_change=C.set_draft,
                placeholder=rx.cond(C.private, t("inbox.note_placeholder"),
                                    rx.cond(C.attachment_name != "", t("inbox.caption_placeholder"),
                                            t("inbox.reply_placeholder"))),
                enter_key_submit=True,
                rows="2",
                resize="vertical",
                width="100%",
                max_length=4096,
                style=rx.cond(C.private, {"background": rx.color("amber", 2)}, {}),
                data_testid="composer-text",
            ),
            rx.flex(
                rx.tooltip(
                    rx.flex(
                        rx.switch(checked=C.private, on_change=C.set_private, size="1",
                                  color_scheme="amber", data_testid="note-toggle"),
                        rx.text(t("inbox.private_note"), size="1"),
                        align="center", gap="1", as_="label",
                    ),
                    content=t("inbox.private_help"),
                ),
                _attach_button(),
                _canned(),
                rx.button(rx.cond(C.suggesting, rx.spinner(size="1"),
                                  rx.icon("sparkles", size=14)),
                          # The label only where the thread is wide enough for one row.
                          rx.text(t("inbox.suggest"), display=rx.breakpoints(
                              initial="none", sm="inline", lg="none", xl="inline")),
                          variant="soft", color_scheme="violet", size="2", type="button",
                          disabled=C.suggesting, on_click=C.suggest,
                          aria_label=t("inbox.suggest"), data_testid="suggest"),
                rx.spacer(),
                rx.button(rx.cond(C.sending, rx.spinner(size="1"),
                                  rx.icon(rx.cond(C.private, "lock", "send"), size=14)),
                          rx.cond(C.private, t("inbox.add_note"), t("inbox.send")),
                          type="submit", size="2",
                          disabled=C.sending | ((C.draft.strip() == "") &
                                               ((C.attachment_name == "") | C.private)),
                          color_scheme=rx.cond(C.private, "amber", "teal"),
                          data_testid="composer-send"),
                align="center", gap="2", width="100%", wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        on_submit=C.send,
        width="100%",
    )


def _template_picker() -> rx.Component:
    return rx.vstack(
        rx.text(t("inbox.template_help"), size="1", color_scheme="gray"),
        rx.cond(
            C.contact.templates.length() > 0,
            rx.vstack(
                rx.select.root(
                    rx.select.trigger(placeholder=t("inbox.template_choose"), width="100%",
                                      data_testid="template-select"),
                    rx.select.content(rx.foreach(C.contact.templates, lambda tp: rx.select.item(
                        tp.name + " (" + tp.language + ")", value=tp.key))),
                    value=C.template_key, on_change=C.choose_template, size="2",
                ),
                rx.foreach(C.template_params, lambda value, i: rx.input(
                    value=value, on_change=lambda v: C.set_template_param(i, v),
                    placeholder=t("inbox.template_param") + " " + (i + 1).to_string(),
                    size="2", width="100%", data_testid="template-param")),
                rx.cond(C.template_key != "",
                        rx.box(rx.text(C.template_preview, size="2",
                                       style={"white_space": "pre-wrap"}),
                               padding="8px 10px", width="100%",
                               background=rx.color("gray", 3),
                               border_radius="var(--radius-2)", data_testid="template-preview")),
                rx.flex(
                    rx.flex(rx.switch(checked=C.private, on_change=C.set_private, size="1",
                                      color_scheme="amber"),
                            rx.text(t("inbox.private_note"), size="1"), align="center", gap="1",
                            as_="label"),
                    rx.spacer(),
                    rx.button(rx.icon("send", size=14), t("inbox.template_send"), size="2",
                              on_click=C.send_template,
                              disabled=(C.template_key == "") | C.sending,
                              data_testid="template-send"),
                    align="center", width="100%",
                ),
                spacing="2", width="100%",
            ),
            rx.flex(
                rx.text(t("inbox.template_none"), size="2", color_scheme="gray"),
                rx.spacer(),
                rx.flex(rx.switch(checked=C.private, on_change=C.set_private, size="1",
                                  color_scheme="amber"),
                        rx.text(t("inbox.private_note"), size="1"), align="center", gap="1",
                        as_="label"),
                align="center", width="100%", gap="2",
            ),
        ),
        spacing="2", width="100%", data_testid="template-picker",
    )


def composer() -> rx.Component:
    return rx.vstack(
        _suggestions(),
        rx.cond(C.needs_template, _template_picker(), _text_composer()),
        spacing="2",
        width="100%",
        padding=rx.breakpoints(initial="8px 10px", md="10px 16px"),
        border_top=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
        data_testid="composer",
    )

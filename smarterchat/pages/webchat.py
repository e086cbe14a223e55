"""/chat/<channel id>: the public chat a company puts on its website. No login, no shell.

Built for a phone first and for living inside an <iframe>: it fills whatever box it is
given. Customer text is rendered as text (React escapes it), never as HTML.

Over 300 lines because the bubbles, notices, survey and composer are one small page's layout,
read top to bottom; none is used elsewhere.
"""

from __future__ import annotations

import reflex as rx

from smarterchat.components.common import error_callout, refused_files
from smarterchat.components.i18n import t
from smarterchat.state.webchat import ACCEPT, MAX_FILE_BYTES, ChatItem, ChatState

S = ChatState
BUBBLE_MAX = "82%"
UPLOAD_ID = "chat-upload"


def _time(iso) -> rx.Component:
    return rx.cond(iso != "", rx.moment(iso, format="HH:mm", local=True), rx.fragment())


def _delivery(item: ChatItem) -> rx.Component:
    return rx.match(
        item.status,
        ("sending", rx.hstack(rx.icon("clock", size=12), rx.text(t("chat.sending")),
                              spacing="1", align="center")),
        ("failed", rx.hstack(
            rx.icon("circle-alert", size=12, color=rx.color("red", 10)),
            rx.text(t("chat.failed"), color=rx.color("red", 11)),
            rx.button(t("chat.retry"), size="1", variant="ghost", color_scheme="red",
                      on_click=S.retry(item.client_id), data_testid="chat-retry"),
            spacing="1", align="center")),
        ("read", rx.hstack(rx.icon("check-check", size=12, color=rx.color("accent", 10)),
                           rx.text(t("chat.read")), spacing="1", align="center")),
        rx.hstack(rx.icon("check", size=12), rx.text(t("chat.sent")), spacing="1",
                  align="center"),
    )


def _attachment(item: ChatItem) -> rx.Component:
    """A file the company sent: images inline, anything else as a download."""
    return rx.cond(
        item.media_kind == "image",
        rx.link(rx.image(src=item.media_url, alt=item.media_name, max_width="100%",
                         max_height="260px", border_radius="10px", loading="lazy",
                         data_testid="chat-image"),
                href=item.media_url, is_external=True),
        rx.link(rx.hstack(rx.icon(rx.match(item.media_kind, ("audio", "audio-lines"),
                                           ("video", "film"), "file-text"), size=18),
                          rx.text(rx.cond(item.media_name != "", item.media_name,
                                          t("chat.attachment")), size="2", weight="medium",
                                  style={"overflow_wrap": "anywhere"}),
                          rx.icon("download", size=14), align="center", spacing="2"),
                href=item.media_url, is_external=True, download=True, underline="none",
                data_testid="chat-file"),
    )


def _bubble(text, mine: bool, footer: rx.Component, media: ChatItem | None = None,
            **props) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.box(
                rx.cond(media.media_url != "", _attachment(media)) if media is not None else
                rx.fragment(),
                rx.cond(text != "", rx.text(text, size="3", style={
                    "white_space": "pre-wrap", "overflow_wrap": "anywhere"})),
                background=rx.color("accent", 9) if mine else rx.color("gray", 1),
                color="white" if mine else rx.color("gray", 12),
                border=None if mine else f"1px solid {rx.color('gray', 4)}",
                padding_x="12px",
                padding_y="8px",
                border_radius="16px",
                border_bottom_right_radius="4px" if mine else "16px",
                border_bottom_left_radius="16px" if mine else "4px",
                box_shadow="0 1px 1px rgba(0,0,0,0.04)",
            ),
            rx.box(footer, font_size="11px", color=rx.color("gray", 10), padding_x="4px"),
            spacing="1",
            align="end" if mine else "start",
            max_width=BUBBLE_MAX,
        ),
        justify="end" if mine else "start",
        width="100%",
        **props,
    )


def _status_line(text) -> rx.Component:
    """Who is answering now: a quiet line across the thread, not a bubble."""
    return rx.center(
        rx.text(text, size="1", color=rx.color("gray", 11), background=rx.color("gray", 3),
                padding_x="10px", padding_y="3px", border_radius="9999px"),
        width="100%", role="status", data_testid="chat-notice",
    )


def _star(item: ChatItem, stars: int) -> rx.Component:
    return rx.icon_button(
        rx.icon("star", size=20), variant="ghost", size="3", color_scheme="amber",
        on_click=S.rate(item.conversation_id, stars), aria_label=t("chat.rate_star", count=stars),
        data_testid=f"chat-star-{stars}")


def _survey(item: ChatItem) -> rx.Component:
    body = rx.cond(
        item.rating > 0,
        rx.text(t("chat.rated", count=item.rating), size="2", data_testid="chat-rated"),
        rx.vstack(
            rx.hstack(*[_star(item, n) for n in range(1, 6)], spacing="1"),
            rx.text(t("chat.rate_comment"), as_="label", html_for="chat-comment", size="1",
                    color_scheme="gray"),
            rx.text_area(id="chat-comment", value=S.comment, on_change=S.set_comment,
                         max_length=1000, rows="2", width="100%",
                         data_testid="chat-comment"),
            spacing="2", width="100%"),
    )
    return rx.card(rx.vstack(rx.text(item.text, size="3", weight="medium"), body, spacing="2"),
                   width="100%", max_width="420px", data_testid="chat-survey")


def _theirs(item: ChatItem) -> rx.Component:
    footer = rx.hstack(rx.cond(item.author_name != "", rx.text(item.author_name,
                                                               weight="medium")),
                       _time(item.at), spacing="2", align="center")
    return _bubble(item.text, False, footer, media=item, data_testid="chat-theirs",
                   data_author=item.author_name)


def _message(item: ChatItem) -> rx.Component:
    return rx.match(
        item.author,
        ("visitor", _bubble(item.text, True, rx.hstack(_time(item.at), _delivery(item),
                                                        spacing="2", align="center"),
                            media=item, data_testid="chat-mine", data_status=item.status)),
        ("system", rx.match(
            item.notice,
            ("joined", _status_line(t("customer.joined", name=item.author_name))),
            ("back_to_ai", _status_line(t("customer.back_to_ai"))),
            ("survey", _survey(item)),
            _theirs(item))),
        _theirs(item),
    )


def _name_card() -> rx.Component:
    return rx.box(
        rx.text(t("chat.your_name"), as_="label", html_for="chat-name", size="2",
                weight="medium"),
        rx.input(id="chat-name", default_value=S.visitor_name, on_blur=S.set_visitor_name,
                 max_length=120, auto_complete="name", size="3", width="100%", margin_top="4px",
                 data_testid="chat-name"),
        rx.text(t("chat.your_name_help"), size="1", color_scheme="gray", margin_top="4px"),
        width="100%",
        max_width="420px",
        padding="12px",
        border_radius="var(--radius-4)",
        background=rx.color("gray", 1),
        border=f"1px dashed {rx.color('gray', 6)}",
    )


def _header() -> rx.Component:
    return rx.flex(
        rx.box(rx.icon("messages-square", size=20, color="white"),
               background=rx.color("accent", 9), border_radius="9999px", padding="9px",
               line_height="0", flex_shrink="0"),
        rx.vstack(
            rx.text(S.title, weight="bold", size="3", trim="both", data_testid="chat-title",
                    style={"overflow_wrap": "anywhere"}),
            rx.text(rx.cond(S.available, t("chat.online_hint"), t("chat.unavailable_title")),
                    size="1", color_scheme="gray", trim="both"),
            spacing="1",
            min_width="0",
        ),
        spacing="3",
        align="center",
        padding_x="16px",
        padding_y="12px",
        background=rx.color("gray", 1),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        flex_shrink="0",
    )


def _messages() -> rx.Component:
    thread = rx.vstack(
        rx.cond(S.greeting != "",
                _bubble(S.greeting, False, rx.text(S.company), data_testid="chat-greeting")),
        rx.cond(~S.has_messages & S.available, _name_card()),
        rx.foreach(S.items, _message),
        rx.cond(S.typing_name != "",
                rx.text(t("chat.typing", name=S.typing_name), size="1", color_scheme="gray",
                        font_style="italic", data_testid="chat-typing")),
        spacing="3",
        width="100%",
        padding="16px",
    )
    # column-reverse keeps the view pinned to the newest message as replies arrive.
    return rx.box(
        thread,
        flex="1",
        min_height="0",
        overflow_y="auto",
        display="flex",
        flex_direction="column-reverse",
        data_testid="chat-thread",
        aria_live="polite",
    )


def _attach_button() -> rx.Component:
    return rx.upload.root(
        rx.icon_button(rx.cond(S.attaching, rx.spinner(size="2"), rx.icon("paperclip", size=18)),
                       type="button", size="3", radius="full", variant="soft",
                       color_scheme="gray", disabled=S.attaching, aria_label=t("chat.attach"),
                       data_testid="chat-attach-button"),
        id=UPLOAD_ID, accept=ACCEPT, max_size=MAX_FILE_BYTES, max_files=1,
        multiple=False, no_drag=True, disabled=S.attaching,
        on_drop=S.attach(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=lambda files: S.attach_refused(refused_files(files)),
        border="none", padding="0", data_testid="chat-attach",
    )


def _composer() -> rx.Component:
    return rx.box(
        rx.box(error_callout(S.error, data_testid="chat-error"), padding_bottom="8px",
               display=rx.cond(S.error != "", "block", "none")),
        rx.form(
            rx.flex(
                rx.input(name="text", placeholder=t("chat.placeholder"), max_length=4000,
                         auto_complete="off", size="3", radius="full", flex="1",
                         aria_label=t("chat.placeholder"), data_testid="chat-input",
                         aria_describedby="chat-length-hint"),
                _attach_button(),
                rx.icon_button(rx.icon("send-horizontal", size=18), type="submit", size="3",
                               radius="full", aria_label=t("chat.send"),
                               data_testid="chat-send"),
                spacing="2",
                align="center",
                width="100%",
            ),
            on_submit=S.send,
            reset_on_submit=True,
            width="100%",
        ),
        rx.text(t("chat.length_hint", max=4000), size="1", color_scheme="gray",
                margin_top="4px", id="chat-length-hint"),
        rx.cond(S.privacy_notice != "",
                rx.text(S.privacy_notice, size="1", color_scheme="gray", margin_top="4px",
                        data_testid="chat-privacy", style={"white_space": "pre-wrap"})),
        rx.text(t("chat.powered_by"), size="1", color_scheme="gray", text_align="center",
                margin_top="6px"),
        padding_x="12px",
        padding_top="10px",
        padding_bottom="max(8px, env(safe-area-inset-bottom))",
        background=rx.color("gray", 1),
        border_top=f"1px solid {rx.color('gray', 4)}",
        flex_shrink="0",
    )


def _notice(icon: str, title_key: str, body_key: str, test_id: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(rx.icon(icon, size=28, color=rx.color("accent", 10)),
                   background=rx.color("accent", 3), border_radius="9999px", padding="14px"),
            rx.heading(t(title_key), size="4", text_align="center"),
            rx.text(t(body_key), size="2", color_scheme="gray", text_align="center"),
            align="center",
            spacing="3",
            max_width="360px",
        ),
        flex="1",
        padding="24px",
        data_testid=test_id,
    )


def webchat_page() -> rx.Component:
    body = rx.cond(
        ~S.loaded,
        rx.center(rx.spinner(size="3"), flex="1"),
        rx.cond(
            ~S.found,
            _notice("message-circle-off", "chat.not_found_title", "chat.not_found_body",
                    "chat-not-found"),
            rx.fragment(
                _header(),
                _messages(),
                rx.cond(S.available, _composer(),
                        rx.box(_notice("circle-pause", "chat.unavailable_title",
                                       "chat.unavailable_body", "chat-unavailable"),
                               flex_shrink="0", border_top=f"1px solid {rx.color('gray', 4)}",
                               background=rx.color("gray", 1))),
            ),
        ),
    )
    return rx.box(
        rx.flex(
            body,
            direction="column",
            height="100%",
            width="100%",
            max_width="720px",
            margin_x="auto",
            background=rx.color("gray", 2),
            border_left=rx.breakpoints(initial="0", md=f"1px solid {rx.color('gray', 4)}"),
            border_right=rx.breakpoints(initial="0", md=f"1px solid {rx.color('gray', 4)}"),
        ),
        height="100dvh",
        width="100%",
        overflow="hidden",
        background=rx.color("gray", 3),
    )

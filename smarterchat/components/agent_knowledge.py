"""The knowledge tab: FAQ entries and uploaded documents, with their processing progress."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.agent_parts import knowledge_badge, section
from smarterchat.components.common import (
    error_callout,
    field,
    notice_callout,
    refused_files,
    submit_button,
)
from smarterchat.components.i18n import t
from smarterchat.state.agent_knowledge import MAX_UPLOAD_BYTES, AgentKnowledgeState, KnowledgeRow

S = AgentKnowledgeState  # can_manage is the page's, its parent
UPLOAD_ID = "agent-knowledge"
ACCEPT = {"text/plain": [".txt"], "text/markdown": [".md"], "application/pdf": [".pdf"]}


def _delete_button(item: KnowledgeRow) -> rx.Component:
    return rx.cond(
        S.can_manage,
        rx.icon_button(rx.icon("trash-2", size=16), variant="ghost", color_scheme="red",
                       on_click=S.ask_delete(item.id), aria_label=t("agent.kb_delete"),
                       data_testid="kb-delete"),
    )


def _faq(item: KnowledgeRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(item.title, weight="bold", size="2", style={"overflow_wrap": "anywhere"}),
            rx.text(item.preview, size="2", color_scheme="gray",
                    style={"overflow_wrap": "anywhere", "white_space": "pre-wrap"}),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        _delete_button(item),
        spacing="3",
        align="start",
        width="100%",
        padding_y="10px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        data_testid="faq-row",
    )


def _faq_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            error_callout(S.faq_error, data_testid="faq-error"),
            field(t("agent.faq_question"),
                  rx.input(name="question", max_length=300, width="100%", size="3",
                           placeholder=t("agent.faq_question_placeholder"),
                           data_testid="faq-question")),
            field(t("agent.faq_answer"),
                  rx.text_area(name="answer", max_length=4000, width="100%", rows="3",
                               data_testid="faq-answer")),
            rx.flex(
                submit_button(t("agent.faq_add"), S.faq_busy, variant="soft",
                              data_testid="faq-add"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.add_faq,
        key=S.faq_key.to_string(),
        width="100%",
    )


def _document(item: KnowledgeRow) -> rx.Component:
    return rx.flex(
        rx.icon("file-text", size=20, color=rx.color("gray", 10), flex_shrink="0",
                margin_top="2px"),
        rx.vstack(
            rx.flex(
                rx.text(item.title, weight="bold", size="2", style={"overflow_wrap": "anywhere"},
                        data_testid="doc-title"),
                knowledge_badge(item.status),
                rx.cond(item.status == "ready",
                        rx.text(t("agent.kb_chunks", count=item.chunks), size="1",
                                color_scheme="gray", data_testid="doc-chunks")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                item.status == "processing",
                rx.hstack(rx.progress(value=item.progress, max=100, size="2", width="100%"),
                          rx.text(item.progress.to_string(), "%", size="1", color_scheme="gray",
                                  min_width="36px", text_align="right"),
                          align="center", spacing="2", width="100%",
                          data_testid="doc-progress"),
            ),
            rx.cond(item.status == "failed",
                    rx.text(t("agent.kb_failed"), " ", item.error, size="1", color_scheme="red",
                            style={"overflow_wrap": "anywhere"})),
            spacing="2",
            flex="1",
            min_width="0",
        ),
        _delete_button(item),
        spacing="3",
        align="start",
        width="100%",
        padding_y="10px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        data_testid="doc-row",
    )


def _dropzone() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.cond(S.upload_busy, rx.spinner(size="3"),
                    rx.icon("upload", size=26, color=rx.color("accent", 10))),
            rx.text(rx.cond(S.upload_busy, t("agent.upload_busy"), t("agent.upload_drop")),
                    size="2", weight="medium", text_align="center"),
            rx.text(t("agent.upload_help", max_mb=MAX_UPLOAD_BYTES // (1024 * 1024)), size="1",
                    color_scheme="gray", text_align="center"),
            align="center",
            spacing="2",
            padding="20px",
            width="100%",
            cursor="pointer",
            border=f"1px dashed {rx.color('accent', 8)}",
            border_radius="var(--radius-3)",
            background=rx.color("accent", 2),
        ),
        id=UPLOAD_ID,
        accept=ACCEPT,
        max_size=MAX_UPLOAD_BYTES,
        max_files=5,
        multiple=True,
        disabled=S.upload_busy,
        on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=lambda files: S.upload_refused(refused_files(files)),
        width="100%",
        data_testid="kb-upload",
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("agent.kb_delete_title")),
            rx.alert_dialog.description(t("agent.kb_delete_body", title=S.delete_title),
                                        size="2"),
            rx.box(error_callout(S.delete_error, data_testid="kb-delete-error"),
                   padding_top="12px"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel"), variant="soft",
                                                 color_scheme="gray")),
                rx.button(rx.cond(S.delete_busy, rx.spinner(size="2"), rx.fragment()),
                          t("agent.kb_delete"), color_scheme="red", on_click=S.confirm_delete,
                          disabled=S.delete_busy, data_testid="kb-delete-confirm"),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.delete_open,
        on_open_change=S.set_delete_open,
    )


def knowledge_tab() -> rx.Component:
    empty_faq = rx.text(t("agent.faq_empty"), size="2", color_scheme="gray")
    empty_docs = rx.text(t("agent.docs_empty"), size="2", color_scheme="gray")
    return rx.vstack(
        notice_callout(S.kb_notice, data_testid="kb-notice"),
        section(
            "file-up", t("agent.docs_title"),
            rx.cond(S.can_manage, _dropzone()),
            rx.cond(S.upload_error != "",
                    rx.callout.root(rx.callout.icon(rx.icon("circle-alert", size=16)),
                                    rx.callout.text(S.upload_error,
                                                    style={"white_space": "pre-line"}),
                                    color_scheme="red", role="alert", size="1", width="100%",
                                    data_testid="upload-error")),
            rx.cond(S.documents.length() > 0,
                    rx.vstack(rx.foreach(S.documents, _document), spacing="0", width="100%"),
                    empty_docs),
            help_text=t("agent.docs_help"),
            data_testid="docs-section",
        ),
        section(
            "messages-square", t("agent.faq_title"),
            rx.cond(S.can_manage, _faq_form()),
            rx.cond(S.faqs.length() > 0,
                    rx.vstack(rx.foreach(S.faqs, _faq), spacing="0", width="100%"),
                    empty_faq),
            help_text=t("agent.faq_help"),
            data_testid="faq-section",
        ),
        _delete_dialog(),
        spacing="4",
        width="100%",
    )

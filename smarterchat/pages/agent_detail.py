"""/agents/<id>: configure one agent, try it before saving, and feed its knowledge base."""

from __future__ import annotations

import reflex as rx

from smarterchat.components import agent_form
from smarterchat.components.agent_knowledge import knowledge_tab
from smarterchat.components.agent_parts import provider_badge
from smarterchat.components.agent_try import try_panel
from smarterchat.components.common import (
    empty_state,
    error_callout,
    notice_callout,
    page_frame,
)
from smarterchat.components.i18n import t
from smarterchat.components.shell import NARROW, WIDE, app_shell
from smarterchat.state.agent_detail import AgentDetailState
from smarterchat.state.agent_form import AgentFormState
from smarterchat.state.agent_knowledge import AgentKnowledgeState

P = AgentDetailState  # the page: found, role, provider, tab
S = AgentFormState
RO = ~P.can_manage  # read-only for managers and consultants


def _save_bar() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.cond(S.dirty,
                        rx.text(rx.icon("circle-dot", size=12, display="inline",
                                        margin_right="4px"),
                                t("agent.unsaved"), size="2", color_scheme="amber",
                                data_testid="unsaved"),
                        rx.text(t("agent.all_saved"), size="2", color_scheme="gray")),
                error_callout(S.save_error, data_testid="save-error"),
                notice_callout(S.notice, data_testid="save-notice"),
                spacing="2",
                flex="1",
                min_width="0",
            ),
            rx.button(rx.cond(S.save_busy, rx.spinner(size="2"), rx.icon("save", size=16)),
                      t("common.save"), on_click=S.save, disabled=S.save_busy, size="3",
                      data_testid="agent-save"),
            spacing="3",
            align="center",
            width="100%",
        ),
        width="100%",
        # Stays in sight only while there is something to save.
        position=rx.cond(S.dirty, "sticky", "static"),
        bottom="12px",
        z_index="5",
        box_shadow="0 6px 24px rgba(0,0,0,.10)",
    )


def _config_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(RO, rx.callout.root(rx.callout.icon(rx.icon("eye", size=16)),
                                    rx.callout.text(t("agent.read_only")), color_scheme="blue",
                                    size="1", width="100%", data_testid="agent-read-only")),
        agent_form.identity(),
        agent_form.instructions(),
        agent_form.rules(),
        agent_form.messages(),
        agent_form.handoff(),
        agent_form.model(),
        agent_form.channels(),
        rx.cond(P.can_manage, _save_bar()),
        spacing="4",
        width="100%",
    )


# ------------------------------------------------------------------ page

def _header() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text(t("agent.back"), size="2"),
                              align="center", spacing="1"),
                    href="/agents", data_testid="agent-back"),
            rx.spacer(),
            # On phones the chat sits below the whole form: a shortcut down to it.
            rx.cond(P.found & P.can_manage,
                    rx.button(rx.icon("flask-conical", size=14), t("agent.try_title"),
                              on_click=rx.scroll_to("try-panel"), variant="soft", size="1",
                              display=NARROW, data_testid="jump-to-try")),
            align="center",
            width="100%",
        ),
        rx.flex(
            rx.box(rx.icon("bot", size=22, color=rx.color("accent", 11)),
                   background=rx.color("accent", 3), padding="9px",
                   border_radius="var(--radius-3)", line_height="0"),
            rx.vstack(
                rx.heading(rx.cond(S.saved_name != "", S.saved_name, t("agents.title")),
                           size="6", weight="bold", data_testid="page-title",
                           style={"overflow_wrap": "anywhere"}),
                rx.cond(P.found, rx.hstack(
                    rx.badge(rx.cond(S.is_active, t("common.active"), t("common.inactive")),
                             color_scheme=rx.cond(S.is_active, "grass", "gray")),
                    provider_badge(P.provider, rx.cond(S.model != "", S.model,
                                                       P.default_model)),
                    spacing="2", align="center", wrap="wrap")),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        spacing="3",
        width="100%",
        margin_bottom="20px",
    )


def _tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(rx.hstack(rx.icon("settings-2", size=14), t("agent.tab_config"),
                                      align="center", spacing="2"),
                            value="config", data_testid="tab-config"),
            rx.tabs.trigger(rx.hstack(rx.icon("book-open", size=14),
                                      rx.text(t("agent.tab_knowledge"), display=WIDE),
                                      rx.text(t("agent.tab_knowledge_short"), display=NARROW),
                                      rx.badge(AgentKnowledgeState.knowledge.length().to_string(), variant="soft",
                                               radius="full"),
                                      align="center", spacing="2"),
                            value="knowledge", data_testid="tab-knowledge"),
            size="2",
        ),
        rx.tabs.content(rx.box(_config_tab(), padding_top="16px"), value="config"),
        rx.tabs.content(rx.box(knowledge_tab(), padding_top="16px"), value="knowledge"),
        value=P.tab,
        on_change=P.set_tab,
        width="100%",
    )


def _content() -> rx.Component:
    # Admins get the "try it" chat at the side (below on phones); the others read only.
    body = rx.cond(
        P.can_manage,
        rx.grid(
            rx.box(_tabs(), min_width="0"),
            rx.box(try_panel(), position=rx.breakpoints(initial="static", lg="sticky"),
                   top="24px", align_self="start", min_width="0"),
            columns=rx.breakpoints(initial="1", lg="minmax(0, 1fr) 360px"),
            gap="20px",
            width="100%",
        ),
        _tabs(),
    )
    missing = empty_state("search-x", t("agent.not_found_title"), t("agent.not_found_body"),
                          rx.link(rx.button(rx.icon("arrow-left", size=16), t("agent.back"),
                                            variant="soft"), href="/agents"))
    return rx.cond(P.found, body, missing)


def agent_detail_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            _header(),
            page_frame(S, _content()),
            width="100%",
            spacing="0",
        ),
        active="/agents",
    )

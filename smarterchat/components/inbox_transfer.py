"""The open conversation's transfer dialog (to a person or a team, with who is online) and
its labels editor."""

from __future__ import annotations

import reflex as rx

from smarterchat.components.i18n import t
from smarterchat.components.inbox_list import availability_dot
from smarterchat.state.inbox_composer import InboxComposerState
from smarterchat.state.inbox_items import ConsultantItem, TeamItem

C = InboxComposerState
S = C  # the composer state inherits every var of the inbox


def _person(p: ConsultantItem) -> rx.Component:
    return rx.button(
        availability_dot(p.availability),
        rx.text(p.name, size="2", flex="1", text_align="left"),
        rx.text(rx.match(p.availability, ("online", t("availability.online")),
                         ("away", t("availability.away")), t("availability.offline")),
                size="1", color_scheme="gray"),
        variant="soft", color_scheme="gray", width="100%", justify="start", size="3",
        on_click=C.transfer(p.user_id), disabled=p.is_me,
        data_testid="transfer-to",
    )


def _team(team: TeamItem) -> rx.Component:
    return rx.button(
        rx.icon("users", size=16),
        rx.text(t("inbox.transfer_team_name", name=team.name), size="2", flex="1",
                text_align="left"),
        rx.text(t("inbox.team_online", count=team.online), size="1",
                color_scheme=rx.cond(team.online > 0, "grass", "gray")),
        variant="soft", color_scheme="gray", width="100%", justify="start", size="3",
        on_click=C.transfer_team(team.team_id), data_testid="transfer-to-team",
        data_team=team.name,
    )


def _section(key: str) -> rx.Component:
    return rx.text(t(key), size="1", weight="bold", color_scheme="gray",
                   text_transform="uppercase", margin_top="4px")


def transfer_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("inbox.transfer_title")),
            rx.dialog.description(t("inbox.transfer_help"), size="2", color_scheme="gray"),
            rx.box(rx.vstack(
                rx.cond(S.teams.length() > 0, rx.fragment(
                    _section("inbox.transfer_teams"),
                    rx.text(t("inbox.transfer_team_help"), size="1", color_scheme="gray"),
                    rx.foreach(S.teams, _team),
                    _section("inbox.transfer_people"),
                )),
                rx.foreach(S.people, _person), spacing="1", width="100%",
                data_testid="transfer-targets"),
                   max_height="50vh", overflow_y="auto", margin_top="12px", width="100%"),
            rx.flex(rx.dialog.close(rx.button(t("common.cancel"), variant="soft",
                                              color_scheme="gray")),
                    justify="end", margin_top="12px"),
            max_width="420px",
        ),
        open=C.transfer_open,
        on_open_change=C.set_transfer_open,
    )


def labels_editor(trigger: rx.Component) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(trigger),
        rx.popover.content(
            rx.vstack(
                rx.flex(
                    rx.foreach(S.current.labels, lambda label: rx.badge(
                        label,
                        rx.icon("x", size=11, cursor="pointer",
                                on_click=C.remove_label(label),
                                aria_label=t("inbox.remove_label")),
                        color_scheme="teal", variant="soft")),
                    rx.cond(S.current.labels.length() == 0,
                            rx.text(t("inbox.no_labels"), size="1", color_scheme="gray")),
                    gap="1", wrap="wrap",
                ),
                rx.form(
                    rx.hstack(
                        rx.input(name="label", placeholder=t("inbox.new_label"), size="1",
                                 max_length=40, flex="1", list="inbox-known-labels",
                                 data_testid="label-input"),
                        rx.button(t("inbox.add_label"), size="1", type="submit"),
                        spacing="2", width="100%",
                    ),
                    rx.el.datalist(rx.foreach(S.labels, lambda x: rx.el.option(value=x)),
                                   id="inbox-known-labels"),
                    on_submit=C.add_label,
                    reset_on_submit=True,
                    width="100%",
                ),
                spacing="3", width="240px",
            ),
        ),
    )

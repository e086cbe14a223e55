"""Text in the page, switched by the browser between pt-BR and English.

``t("key")`` compiles to a small conditional over the two strings, so switching
language needs no round trip and nothing but the state's locale.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from smarterchat.i18n import TABLE
from smarterchat.state.session import AppState


def t(key: str, **params: Any) -> rx.Var:
    """The text of ``key``; ``params`` may be Vars (``name=AppState.me_name``)."""
    entry = TABLE[key]
    pt, en = entry["pt-BR"], entry["en"]
    if params:
        pt, en = pt.format(**params), en.format(**params)
    return rx.cond(AppState.lang == "en", en, pt)


def label(prefix: str, value: rx.Var, keys: list[str]) -> rx.Var:
    """Translate a value held in state, e.g. a role: ``label("role", row.role, [...])``."""
    cases = [(k, t(f"{prefix}.{k}")) for k in keys]
    return rx.match(value, *cases, value)


ROLES = ["admin", "manager", "consultant"]
STATUSES = ["bot", "waiting_human", "human", "resolved"]
STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"]
TEMPERATURES = ["hot", "warm", "cold"]
CHANNELS = ["whatsapp", "instagram", "webchat"]


def role_label(value: rx.Var) -> rx.Var:
    return label("role", value, ROLES)


def status_label(value: rx.Var) -> rx.Var:
    return label("status", value, STATUSES)


def stage_label(value: rx.Var) -> rx.Var:
    return label("stage", value, STAGES)


def temperature_label(value: rx.Var) -> rx.Var:
    return label("temperature", value, TEMPERATURES)


def channel_label(value: rx.Var) -> rx.Var:
    return label("channel", value, CHANNELS)

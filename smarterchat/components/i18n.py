"""Text in the page, switched by the browser between pt-BR and English.

``t("key")`` compiles to a small conditional over the languages' strings, so switching
language needs no round trip and nothing but the state's locale. A plural key given a
``count`` Var also picks its form in the browser, by the same rule the server uses.
"""

from __future__ import annotations

from typing import Any, cast

import reflex as rx

from smarterchat.i18n import DEFAULT_LOCALE, LOCALES, PLURAL_RULES, forms_for, text_for
from smarterchat.i18n.plurals import plural_category
from smarterchat.state.session import AppState


def t(key: str, **params: Any) -> rx.Var:
    """The text of ``key``; ``params`` may be Vars (``name=AppState.me_name``).

    An unknown key raises KeyError when the page compiles, not in front of a person.
    """
    text = _text_in(key, DEFAULT_LOCALE, params)
    for locale in reversed(LOCALES):
        if locale != DEFAULT_LOCALE:
            text = rx.cond(AppState.lang == locale, _text_in(key, locale, params), text)
    return cast(rx.Var, text)  # a condition once there is more than one language


def _text_in(key: str, locale: str, params: dict[str, Any]) -> Any:
    """One language's text: a string, or for a plural key counted by a Var, a condition
    over its forms built from the language's rule."""
    forms = forms_for(key, locale)
    count = params.get("count")
    if forms is None or count is None:
        text = text_for(key, locale)
        return text.format(**params) if params else text
    if len(set(forms.values())) == 1:  # English "{count} unread": no condition to compile
        return forms["other"].format(**params)
    # A language still borrowing the default's forms may name a category they lack.
    rule = PLURAL_RULES[locale]
    if isinstance(count, int):
        return forms.get(plural_category(rule, count), forms["other"]).format(**params)
    text = forms["other"].format(**params)
    for category, test in reversed(rule):
        text = rx.cond(test(count), forms.get(category, forms["other"]).format(**params), text)
    return text


def label(prefix: str, value: rx.Var, keys: list[str]) -> rx.Var:
    """Translate a value held in state, e.g. a role: ``label("role", row.role, [...])``."""
    cases = [(k, t(f"{prefix}.{k}")) for k in keys]
    return rx.match(value, *cases, value)


ROLES = ["admin", "manager", "consultant"]
STATUSES = ["bot", "waiting_human", "human", "resolved"]
TEMPERATURES = ["hot", "warm", "cold"]
CHANNELS = ["whatsapp", "instagram", "webchat"]


def role_label(value: rx.Var) -> rx.Var:
    return label("role", value, ROLES)


def status_label(value: rx.Var) -> rx.Var:
    return label("status", value, STATUSES)


def temperature_label(value: rx.Var) -> rx.Var:
    return label("temperature", value, TEMPERATURES)


def channel_label(value: rx.Var) -> rx.Var:
    return label("channel", value, CHANNELS)

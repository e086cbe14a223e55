"""Every piece of text a person reads in the app, in Brazilian Portuguese and English.

One catalog per area under ``catalogs/`` (key -> text per language, or plural forms per
language for a sentence with a count), merged here into :data:`TABLE`. Pages read it
through ``smarterchat.components.i18n.t`` (switched in the browser, no round trip); state
handlers and services use :func:`translate` and :func:`error_message` for text built on
the server (errors from the service layer, with their parameters).

Adding a language: add it to :data:`LOCALES` and :data:`LOCALE_NAMES`, give it a plural
rule in ``plurals.py`` (most languages reuse one), and add its column to the catalogs.
Until a key has its text, :func:`translate` and ``t()`` show the default language's;
``tests/test_i18n.py`` lists what is still missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from smarterchat.i18n.catalog import DuplicateKey, Plurals, Table, merge, problems
from smarterchat.i18n.catalogs import (
    accounts,
    agents,
    analytics,
    api,
    auth,
    channels,
    common,
    conversations,
    crm,
    customer,
    dashboard,
    errors,
    inbox,
    mail,
    platform,
    profile,
    settings,
    users,
    webchat,
)
from smarterchat.i18n.plurals import PLURAL_RULES, plural_category

__all__ = [
    "DEFAULT_LOCALE", "LOCALES", "LOCALE_NAMES", "PLURALS", "PLURAL_RULES", "TABLE",
    "DuplicateKey", "error_message", "forms_for", "normalise_locale", "problems", "text_for",
    "translate",
]

LOCALES = ("pt-BR", "en")
DEFAULT_LOCALE = "pt-BR"
LOCALE_NAMES = {"pt-BR": "Português (Brasil)", "en": "English"}

CATALOGS = {
    module.__name__.rsplit(".", 1)[-1]: module.CATALOG
    for module in (common, auth, profile, dashboard, inbox, conversations, crm, agents,
                   analytics, settings, users, channels, webchat, platform, errors, mail, accounts,
                   customer, api)
}
TABLE: Table
PLURALS: Plurals
TABLE, PLURALS = merge(CATALOGS)


def normalise_locale(locale: str | None) -> str:
    """A supported locale for what a browser or a profile says ("en-US" -> "en")."""
    if locale in LOCALES:
        return locale
    language = (locale or "").split("-")[0].lower()
    for supported in LOCALES:
        if language and supported.split("-")[0].lower() == language:
            return supported
    return DEFAULT_LOCALE


def text_for(key: str, locale: str) -> str:
    """The key's text in ``locale``, or in the default language if it has none yet."""
    entry = TABLE[key]
    return entry.get(locale) or entry[DEFAULT_LOCALE]


def forms_for(key: str, locale: str) -> dict[str, str] | None:
    """A plural key's forms in ``locale`` (the default language's if it has none yet);
    None for a key without plural forms."""
    forms = PLURALS.get(key)
    if forms is None:
        return None
    return forms.get(locale) or forms[DEFAULT_LOCALE]


def translate(key: str, locale: str | None = DEFAULT_LOCALE, **params: Any) -> str:
    """The text of ``key``; a plural key takes the form its ``count`` parameter calls for."""
    if key not in TABLE:
        return key
    locale = normalise_locale(locale)
    text = text_for(key, locale)
    forms = forms_for(key, locale)
    if forms is not None and isinstance(params.get("count"), int):
        text = forms.get(plural_category(PLURAL_RULES[locale], params["count"])) or text
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def error_message(code: str, locale: str | None = DEFAULT_LOCALE,
                  params: Mapping[str, Any] | None = None) -> str:
    """The sentence shown for a service error code; unknown codes get the generic one."""
    params = dict(params or {})
    if code == "too_many_attempts":
        params["minutes"] = max(1, math.ceil(int(params.get("retry_after") or 60) / 60))
    key = f"error.{code}"
    return translate(key if key in TABLE else "error.generic", locale, **params)

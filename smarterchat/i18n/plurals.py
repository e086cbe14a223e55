"""Plural rules: which form of a counted sentence a number takes, per language.

A rule is an ordered list of (category, test); the first test that holds names the form,
and ``"other"`` is the form when none does. The tests use only operators (``==``, ``%``,
``<``, ``&``, ``|``), never ``and``/``or``/``if``, so the same rule runs on a Python int
on the server and on a Reflex number Var in the browser (``components/i18n.py`` turns it
into nested conditions), and both sides always pick the same form.

A language whose forms are "1" against everything else needs nothing new: give it
``SINGULAR_IS_ONE``. One with more forms (Russian: one / few / many) adds its rule here,
and its catalog column then carries those categories.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PluralRule = tuple[tuple[str, Callable[[Any], Any]], ...]

OTHER = "other"

# CLDR's Portuguese rule also puts 0 in "one"; the product's texts follow everyday
# Brazilian usage ("0 regras"), so Portuguese shares the English rule.
SINGULAR_IS_ONE: PluralRule = (("one", lambda n: n == 1),)

PLURAL_RULES: dict[str, PluralRule] = {
    "pt-BR": SINGULAR_IS_ONE,
    "en": SINGULAR_IS_ONE,
}


def categories(rule: PluralRule) -> tuple[str, ...]:
    """Every form a catalog must give for a language with this rule."""
    return tuple(name for name, _ in rule) + (OTHER,)


def plural_category(rule: PluralRule, count: int) -> str:
    for name, test in rule:
        if test(count):
            return name
    return OTHER

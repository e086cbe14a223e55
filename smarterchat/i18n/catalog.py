"""The shape of a catalog, how the area catalogs become one table, and the checks on it.

A catalog maps a key to one text per language, ``{"pt-BR": "...", "en": "..."}``, or, for
a sentence with a number in it, to one set of plural forms per language,
``{"pt-BR": {"one": "{count} regra", "other": "{count} regras"}, "en": {...}}``
(see ``plurals.py`` for which form a count takes).

The merge refuses a key that two catalogs define: with a dozen catalogs, the later one
would otherwise silently replace a sentence a page elsewhere relies on.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from smarterchat.i18n.plurals import PluralRule, categories

Forms = dict[str, str]
Entry = dict[str, str | Forms]
Catalog = dict[str, Entry]
# key -> language -> text; for a plural key the text is its "other" form, so code that
# reads TABLE[key][language] as a plain sentence keeps working.
Table = dict[str, dict[str, str]]
# key -> language -> category -> text, for plural keys only.
Plurals = dict[str, dict[str, Forms]]


class DuplicateKey(ValueError):
    def __init__(self, key: str, first: str, second: str) -> None:
        super().__init__(f"text key {key!r} is defined in both the {first!r} and the {second!r} catalog")
        self.key, self.first, self.second = key, first, second


def merge(catalogs: Mapping[str, Catalog]) -> tuple[Table, Plurals]:
    """One table from the named area catalogs; a key defined twice raises :class:`DuplicateKey`."""
    table: Table = {}
    plurals: Plurals = {}
    owner: dict[str, str] = {}
    for area, catalog in catalogs.items():
        for key, entry in catalog.items():
            if key in owner:
                raise DuplicateKey(key, owner[key], area)
            owner[key] = area
            table[key] = {}
            for locale, text in entry.items():
                if isinstance(text, str):
                    table[key][locale] = text
                else:
                    plurals.setdefault(key, {})[locale] = dict(text)
                    table[key][locale] = text.get("other", "")
    return table, plurals


def problems(table: Table, plurals: Plurals, rules: Mapping[str, PluralRule]) -> list[str]:
    """What a catalog still lacks, one line each: every key in every language (a plural key
    with every form that language's rule names), none empty, the same placeholders in all.

    At run time a missing language falls back to the default one; this list is what the
    tests hold to empty, so a new language is complete before it ships.
    """
    found: list[str] = []
    fields = string.Formatter()
    for key, entry in table.items():
        texts: dict[str, str] = {}
        for locale, rule in rules.items():
            if key in plurals:
                forms = plurals[key].get(locale, {})
                for category in categories(rule):
                    if not forms.get(category, "").strip():
                        found.append(f"{key}: no {locale} {category!r} form")
                    else:
                        texts[f"{locale} {category}"] = forms[category]
            elif not entry.get(locale, "").strip():
                found.append(f"{key}: no {locale} text")
            else:
                texts[locale] = entry[locale]
        names = {where: frozenset(f for _, f, _, _ in fields.parse(text) if f)
                 for where, text in texts.items()}
        if len(set(names.values())) > 1:
            found.append(f"{key}: placeholders differ: {sorted((w, sorted(n)) for w, n in names.items())}")
    return found

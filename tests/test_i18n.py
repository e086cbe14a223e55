"""The translation catalogs: one table from many areas, plural forms, a third language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smarterchat import i18n
from smarterchat.i18n.catalog import DuplicateKey, merge, problems
from smarterchat.i18n.plurals import PLURAL_RULES, SINGULAR_IS_ONE, plural_category


def test_a_key_defined_in_two_catalogs_is_refused_naming_both():
    first = {"x.save": {"pt-BR": "Salvar", "en": "Save"}}
    second = {"x.other": {"pt-BR": "Outro", "en": "Other"},
              "x.save": {"pt-BR": "Gravar", "en": "Store"}}
    with pytest.raises(DuplicateKey) as refused:
        merge({"first": first, "second": second})
    assert (refused.value.key, refused.value.first, refused.value.second) == ("x.save", "first", "second")
    assert "'first'" in str(refused.value) and "'second'" in str(refused.value)
    # Apart, the same two merge.
    table, _ = merge({"first": first, "other": {"x.other": second["x.other"]}})
    assert table["x.save"]["en"] == "Save"


def test_the_app_catalogs_are_disjoint_and_all_reach_the_table():
    table, plurals = merge(i18n.CATALOGS)
    assert len(table) == sum(len(c) for c in i18n.CATALOGS.values()) == len(i18n.TABLE)
    assert plurals == i18n.PLURALS
    assert len(i18n.CATALOGS) >= 12
    for area in ("common", "auth", "users", "channels", "agents", "inbox", "conversations",
                 "errors", "crm", "analytics"):
        assert area in i18n.CATALOGS, area


def test_every_key_has_every_language_and_every_plural_form():
    rules = {locale: PLURAL_RULES[locale] for locale in i18n.LOCALES}
    assert problems(i18n.TABLE, i18n.PLURALS, rules) == []


def test_the_check_names_what_a_catalog_lacks():
    table, plurals = merge({"a": {
        "a.plain": {"pt-BR": "Olá"},
        "a.blank": {"pt-BR": "Oi", "en": "  "},
        "a.count": {"pt-BR": {"one": "{count} regra", "other": "{count} regras"},
                    "en": {"other": "{count} rules"}},
        "a.named": {"pt-BR": "Olá, {name}", "en": "Hello, {nome}"},
    }})
    found = problems(table, plurals, {"pt-BR": SINGULAR_IS_ONE, "en": SINGULAR_IS_ONE})
    assert found[:3] == ["a.plain: no en text", "a.blank: no en text", "a.count: no en 'one' form"]
    assert len(found) == 4 and found[3].startswith("a.named: placeholders differ")


@pytest.mark.parametrize(("locale", "count", "text"), [
    ("pt-BR", 0, "0 regras"), ("pt-BR", 1, "1 regra"), ("pt-BR", 2, "2 regras"),
    ("en", 1, "1 rule"), ("en", 21, "21 rules"),
])
def test_a_count_picks_the_plural_form(locale, count, text):
    assert i18n.translate("agents.rules", locale, count=count) == text


def test_plural_keys_read_as_their_other_form_without_a_count():
    # TABLE[key][locale] stays a plain sentence for code that reads it directly.
    assert i18n.TABLE["agents.rules"]["pt-BR"] == "{count} regras"
    assert i18n.translate("twofa.codes_left", "en", count=1) == "1 recovery code left"
    assert i18n.translate("twofa.codes_left", "pt-BR", count=3) == "3 códigos de recuperação restantes"


def test_pages_pick_the_form_in_the_browser_by_the_same_rule():
    from smarterchat.components.i18n import t
    from smarterchat.state.badges import BadgeState

    compiled = str(t("shell.badge_mine", count=BadgeState.mine))
    assert "atribu\\u00edda a voc\\u00ea" in compiled and "atribu\\u00eddas a voc\\u00ea" in compiled
    assert "=== 1" in compiled
    # A plain count needs no condition: the form is picked while the page compiles.
    assert str(t("agents.rules", count=1)).count("?") == str(t("common.save")).count("?")
    assert "1 regra" in str(t("agents.rules", count=1))


def test_no_page_builds_a_plural_by_hand():
    root = Path(__file__).resolve().parent.parent / "smarterchat"
    by_hand = re.compile(r"""==\s*1\s*,\s*t\(|"s" if |count == 1""")
    found = [f"{path.name}: {line.strip()}"
             for folder in ("pages", "components", "state")
             for path in (root / folder).glob("*.py")
             for line in path.read_text().splitlines() if by_hand.search(line)]
    assert found == []


def test_a_third_language_falls_back_to_the_default_for_what_it_lacks(monkeypatch):
    from smarterchat.components import i18n as page_i18n

    locales = (*i18n.LOCALES, "es")
    monkeypatch.setattr(i18n, "LOCALES", locales)
    monkeypatch.setattr(page_i18n, "LOCALES", locales)
    monkeypatch.setitem(PLURAL_RULES, "es", SINGULAR_IS_ONE)
    monkeypatch.setitem(i18n.TABLE["common.save"], "es", "Guardar")
    monkeypatch.setitem(i18n.PLURALS["agents.rules"], "es", {"one": "{count} regla", "other": "{count} reglas"})

    assert i18n.normalise_locale("es-AR") == "es"
    assert i18n.translate("common.save", "es") == "Guardar"
    assert i18n.translate("common.cancel", "es") == "Cancelar"  # not translated yet
    assert i18n.translate("agents.rules", "es", count=1) == "1 regla"
    assert i18n.translate("agent.kb_chunks", "es", count=1) == "1 trecho"
    assert "Guardar" in str(page_i18n.t("common.save")) and '"es"' in str(page_i18n.t("common.save"))
    assert "Cancelar" in str(page_i18n.t("common.cancel"))
    # The check lists what the new column still needs, so it cannot ship half done.
    missing = problems(i18n.TABLE, i18n.PLURALS, {loc: PLURAL_RULES[loc] for loc in locales})
    assert "common.cancel: no es text" in missing
    assert "common.save: no es text" not in missing
    assert "agent.kb_chunks: no es 'one' form" in missing


def test_locales_a_browser_sends_map_to_supported_ones():
    assert [i18n.normalise_locale(x) for x in ("en-US", "EN", "pt-BR", "pt-PT", "fr", None, "")] == \
        ["en", "en", "pt-BR", "pt-BR", "pt-BR", "pt-BR", "pt-BR"]


def test_the_plural_rule_takes_the_first_category_whose_test_holds():
    rule = (("one", lambda n: n == 1), ("few", lambda n: (n % 10 >= 2) & (n % 10 <= 4)))
    assert [plural_category(rule, n) for n in (1, 3, 5, 22)] == ["one", "few", "other", "few"]


def test_a_language_with_more_forms_borrows_the_defaults_other_form_until_translated(monkeypatch):
    from smarterchat.components import i18n as page_i18n
    from smarterchat.state.badges import BadgeState

    few = (("one", lambda n: n == 1), ("few", lambda n: (n >= 2) & (n <= 4)))
    locales = (*i18n.LOCALES, "ru")
    monkeypatch.setattr(i18n, "LOCALES", locales)
    monkeypatch.setattr(page_i18n, "LOCALES", locales)
    monkeypatch.setitem(PLURAL_RULES, "ru", few)

    assert i18n.translate("agent.kb_chunks", "ru", count=3) == "3 trechos"
    compiled = str(page_i18n.t("agent.kb_chunks", count=BadgeState.mine))
    assert '"ru"' in compiled and "trecho" in compiled
    missing = problems(i18n.TABLE, i18n.PLURALS, {loc: PLURAL_RULES[loc] for loc in locales})
    assert "agent.kb_chunks: no ru 'few' form" in missing

"""The evaluation harness measures whichever provider it is given, through the same seams."""

from __future__ import annotations

import json

import pytest

from evals import run
from smarterchat.backend import db
from tests.fakes.openai_server import DEFAULT_CLASSIFICATION, FakeOpenAI


@pytest.fixture
def fake_openai(monkeypatch):
    server = FakeOpenAI().start()
    monkeypatch.setenv("SMARTERCHAT_OPENAI_MAX_RETRIES", "0")
    monkeypatch.setenv("SMARTERCHAT_OPENAI_TIMEOUT_SECONDS", "5")
    db.get_settings.cache_clear()
    yield server
    server.stop()
    db.get_settings.cache_clear()


def test_the_harness_runs_unchanged_against_an_openai_compatible_server(fake_openai, capsys):
    fake_openai.classification = json.loads(json.dumps(DEFAULT_CLASSIFICATION))
    fake_openai.reply = "Claro, posso ajudar."
    results = run.main(["--set", "tuning", "--provider", "openai", "--base-url",
                        fake_openai.base_url, "--api-key", "sk-eval", "--limit", "20"])
    printed = capsys.readouterr().out
    assert "== tuning (openai)" in printed and "retrieval top-1" in printed
    # The model was asked: a classification and an answer per message it did not hand off.
    assert len(fake_openai.completions("classification")) >= 20
    assert fake_openai.completions("text")
    assert fake_openai.requests[0]["headers"]["authorization"] == "Bearer sk-eval"
    # The figures are the model's: it always says "support, no person", so no message is
    # handed off and intent is right exactly on the messages labelled support.
    rows = run.load_jsonl(run.SETS["tuning"] / "messages.jsonl")[:20]
    figures = results["tuning"]
    assert figures["recall_msg"] == 0.0 and figures["false_msg"] == 0.0
    assert figures["intent"] == pytest.approx(sum(r["intent"] == "support" for r in rows) / 20)


def test_the_offline_figures_on_the_tuning_set_are_printed_for_every_measure(capsys):
    results = run.main(["--set", "tuning"])
    printed = capsys.readouterr().out
    for line in ("handoff recall, messages", "false handoffs, conversations",
                 "handoff turn (conversations)", "temperature", "intent (messages)",
                 "retrieval top-3", "abstention on gaps", "field extraction"):
        assert line in printed
    assert 0 <= results["tuning"]["recall"] <= 1
    assert sum(results["tuning"]["turn"].values()) == len(
        run.load_jsonl(run.SETS["tuning"] / "conversations.jsonl"))


@pytest.mark.parametrize("name", sorted(run.SETS))
def test_every_sets_labels_name_an_entry_of_its_companys_knowledge(name):
    """A typo in a label would count as a retrieval miss forever: the sets check themselves
    (data only; the product is not run on the held-out set here)."""
    folder = run.SETS[name]
    entries = {key: {p.id for p in c.passages} for key, c in run.companies(folder).items()}
    labels = [(r["company"], r["faq"]) for r in run.load_jsonl(folder / "messages.jsonl")]
    for conv in run.load_jsonl(folder / "conversations.jsonl"):
        labels += [(conv["company"], t.get("faq")) for t in conv["turns"]]
        assert conv["handoff_turn"] is None or 0 <= conv["handoff_turn"] < len(conv["turns"])
    wrong = [(co, faq) for co, faq in labels if faq not in {None, "none"} | entries[co]]
    assert labels and wrong == []

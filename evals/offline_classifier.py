"""Measure the offline rules classifier against the labelled messages in evals/messages.jsonl.

Rows marked "split": "dev" were in view while the cues were chosen; "holdout" rows were written
after the rules were committed, so the holdout figures are the ones to trust.

    .venv/bin/python -m evals.offline_classifier            # figures
    .venv/bin/python -m evals.offline_classifier --errors   # and every miss, to study (not to copy)
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from smarterchat.backend.ai.rules import classify
from smarterchat.backend.ai.types import Classification, Intent

DATA = Path(__file__).with_name("messages.jsonl")
INTENTS = [i.value for i in Intent]
SHORT = {"human_request": "human", "purchase": "purch", "support": "supp", "complaint": "compl",
         "greeting": "greet", "off_topic": "off"}


@dataclass
class Result:
    row: dict
    got: Classification
    seconds: float


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(rows: list[dict], repeats: int = 3) -> list[Result]:
    results = []
    for row in rows:
        timings = []
        for _ in range(repeats):  # best of a few runs, so a GC pause or a busy CPU is not "slow"
            start = time.perf_counter()
            got = classify(row["text"])
            timings.append(time.perf_counter() - start)
        results.append(Result(row, got, min(timings)))
    return results


def _pct(hits: int, total: int) -> str:
    return f"{hits / total:6.1%} ({hits}/{total})" if total else "   n/a"


def report(results: list[Result], title: str) -> None:
    intent_hits = sum(r.got.intent == r.row["intent"] for r in results)
    human_hits = sum(r.got.wants_human == r.row["wants_human"] for r in results)
    lang_hits = sum(r.got.language == r.row["lang"] for r in results)
    purchase = [r for r in results if r.row["intent"] == "purchase"]
    temp_hits = sum(r.got.lead.temperature == r.row["temperature"] for r in purchase)
    print(f"\n== {title}: {len(results)} messages")
    print(f"intent accuracy        {_pct(intent_hits, len(results))}")
    print(f"wants_human accuracy   {_pct(human_hits, len(results))}")
    print(f"temperature (purchase) {_pct(temp_hits, len(purchase))}")
    print(f"language detection     {_pct(lang_hits, len(results))}")
    calibration(results)


def per_class(results: list[Result]) -> None:
    pairs = Counter((r.row["intent"], r.got.intent.value) for r in results)
    print(f"\n{'class':<14}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}")
    for name in INTENTS:
        tp = pairs[(name, name)]
        predicted = sum(n for (_, p), n in pairs.items() if p == name)
        actual = sum(n for (t, _), n in pairs.items() if t == name)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{name:<14}{precision:>10.2f}{recall:>8.2f}{f1:>7.2f}{actual:>9}")
    print("\nconfusion matrix (rows = true, columns = predicted)")
    print(f"{'':<14}" + "".join(f"{SHORT[p]:>7}" for p in INTENTS))
    for true in INTENTS:
        print(f"{true:<14}" + "".join(f"{pairs[(true, p)]:>7}" for p in INTENTS))


def calibration(results: list[Result]) -> None:
    """The platform hands off below 0.5: how right is what the bot keeps, and how much it keeps."""
    right = [r.got.confidence for r in results if r.got.intent == r.row["intent"]]
    wrong = [r.got.confidence for r in results if r.got.intent != r.row["intent"]]
    kept = [r for r in results if r.got.confidence >= 0.5]
    kept_right = sum(r.got.intent == r.row["intent"] for r in kept)
    print(f"confidence mean        right {sum(right) / max(1, len(right)):.2f}, "
          f"wrong {sum(wrong) / max(1, len(wrong)):.2f}")
    print(f"kept at >= 0.5         {_pct(len(kept), len(results))}, "
          f"intent right on those {_pct(kept_right, len(kept))}")


def timing(results: list[Result]) -> None:
    ordered = sorted(results, key=lambda r: r.seconds)
    total = sum(r.seconds for r in results)
    print(f"\ntiming per message (best of 3): mean {total / len(results) * 1e3:.3f} ms")
    for label, r in (("fastest", ordered[0]), ("slowest", ordered[-1])):
        print(f"  {label} {r.seconds * 1e3:.3f} ms  {r.row['text'][:60]!r}")


def errors(results: list[Result]) -> None:
    print("\nmisses (true -> predicted, confidence)")
    for r in results:
        row, got = r.row, r.got
        if got.intent != row["intent"] or got.wants_human != row["wants_human"] or (
                row["intent"] == "purchase" and got.lead.temperature != row["temperature"]):
            print(f"  {row['intent']}->{got.intent.value} human {row['wants_human']}->"
                  f"{got.wants_human} temp {row['temperature']}->{got.lead.temperature.value} "
                  f"{got.confidence:.2f}  {row['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss")
    args = parser.parse_args()
    results = run(load())
    report(results, "all")
    per_class(results)
    for lang in ("pt-BR", "en"):
        report([r for r in results if r.row["lang"] == lang], lang)
    for split in ("dev", "holdout", "holdout2", "holdout3"):
        subset = [r for r in results if r.row.get("split", "dev") == split]
        report(subset, f"split {split}")
        if split.startswith("holdout") and subset:
            per_class(subset)
    timing(results)
    if args.errors:
        errors(results)


if __name__ == "__main__":
    main()

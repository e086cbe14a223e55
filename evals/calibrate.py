"""Choose the knowledge threshold on the tuning sets: top-1 and abstention at each threshold.

    .venv/bin/python -m evals.calibrate           # evals/tuning and evals/frozen (a tuning set
                                                  # now); the held-out frozen2 is never used
    .venv/bin/python -m evals.calibrate --misses  # and every retrieval miss, to study
"""

from __future__ import annotations

import argparse

from evals.run import SETS, companies, load_jsonl
from smarterchat.backend.ai import knowledge

TUNING = ("tuning", "frozen")


def questions(folder) -> list[tuple[str, str, str]]:
    rows = [(r["company"], r["text"], r["faq"]) for r in load_jsonl(folder / "messages.jsonl")
            if r.get("faq")]
    for conv in load_jsonl(folder / "conversations.jsonl"):
        rows += [(conv["company"], t["text"], t["faq"]) for t in conv["turns"] if t.get("faq")]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    rows, found = [], []
    for name in TUNING:
        comps = companies(SETS[name])
        asked = questions(SETS[name])
        rows += asked
        found += [(faq, knowledge.search(text, comps[co].passages)) for co, text, faq in asked]
    answerable = sum(faq != "none" for faq, _ in found)
    gaps = len(found) - answerable
    for step in range(10, 62, 2):
        threshold = step / 100
        top1 = sum(faq != "none" and bool(h) and h[0].passage.id == faq
                   and h[0].score >= threshold for faq, h in found)
        abstained = sum(faq == "none" and not (h and h[0].score >= threshold) for faq, h in found)
        print(f"threshold {threshold:.2f}  top-1 {top1}/{answerable}  abstains {abstained}/{gaps}")
    if args.misses:
        for (_, text, faq), (_, hits) in zip(rows, found, strict=True):
            if not hits or hits[0].passage.id != faq:
                print(faq, [(h.passage.id, h.score) for h in hits[:2]], text)


if __name__ == "__main__":
    main()

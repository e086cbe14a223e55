"""Retrieval with a small local embedding model (WordLlama, weights inside its wheel) against
the product's lexical scorer, measured in the same run on the two tuning sets (evals/tuning,
evals/frozen; never the held-out frozen2): top-1 and abstention at each scorer's best
threshold, latency per message and the memory the model adds.

Usage: .venv/bin/python -m bench.ai_model [--repeat 3]

WordLlama is not a dependency (it did not retrieve better, see evals/README.md); to run the
comparison, install it somewhere importable, e.g.
``pip install --target /tmp/wl wordllama numpy safetensors tokenizers toml`` and
``PYTHONPATH=/tmp/wl .venv/bin/python -m bench.ai_model``. Without it, only the lexical figures
are printed. Nothing is downloaded: the model is read from the package's own files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.calibrate import TUNING, questions  # noqa: E402
from evals.run import SETS, companies  # noqa: E402
from smarterchat.backend.ai import knowledge  # noqa: E402

Ranker = Callable[[str, str], tuple[str | None, float]]  # (company, question) -> (id, score)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_wordllama():
    """The default WordLlama model from the installed package's files (its loader looks for
    the tokenizer in a folder the wheel does not have, then tries the network)."""
    import wordllama
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = Path(wordllama.__file__).parent
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np",
                   device="cpu") as f:
        embedding = f.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, tokenizer)


def lexical() -> Ranker:
    passages = {co: c.passages for name in TUNING for co, c in companies(SETS[name]).items()}

    def rank(company: str, question: str) -> tuple[str | None, float]:
        hits = knowledge.search(question, passages[company], limit=1)
        return (hits[0].passage.id, hits[0].score) if hits else (None, 0.0)
    return rank


def embedded(model) -> Ranker:
    """Cosine against each entry's question and its whole text, the passages embedded once
    (as they would be when a document is processed)."""
    cosine = embedded_scores(model)

    def rank(company: str, question: str) -> tuple[str | None, float]:
        sims = cosine(company, question)
        best = max(sims, key=sims.__getitem__)
        return best, sims[best]
    return rank


def embedded_scores(model) -> Callable[[str, str], dict[str, float]]:
    index = {}
    for name in TUNING:
        for co, c in companies(SETS[name]).items():
            ids = [p.id for p in c.passages]
            whole = model.embed([f"{p.title} {p.text}" for p in c.passages], norm=True)
            titles = model.embed([p.title for p in c.passages], norm=True)
            index[co] = (ids, whole, titles)

    def scores(company: str, question: str) -> dict[str, float]:
        ids, whole, titles = index[company]
        query = model.embed([question], norm=True)[0]
        return {i: float(max(a, b)) for i, a, b in zip(ids, whole @ query, titles @ query,
                                                       strict=True)}
    return scores


def blended(model, weight: float = 0.3) -> Ranker:
    """The product's lexical score with the cosine mixed in (as knowledge.search mixes a
    provider's embeddings, at the weight that did best on the tuning sets)."""
    cosine = embedded_scores(model)
    passages = {co: c.passages for name in TUNING for co, c in companies(SETS[name]).items()}

    def rank(company: str, question: str) -> tuple[str | None, float]:
        found = passages[company]
        words = {h.passage.id: h.score for h in knowledge.search(question, found,
                                                                   limit=len(found))}
        sims = cosine(company, question)
        scores = {p.id: (1 - weight) * words.get(p.id, 0.0) + weight * max(0.0, sims[p.id])
                  for p in found}
        best = max(scores, key=scores.__getitem__)
        return best, scores[best]
    return rank


def quality(rows, ranked) -> tuple[float, float, float, float]:
    """Best threshold on right answers plus abstentions; top-1 and abstention there."""
    best = (-1.0, 0.0, 0.0, 0.0)
    for step in range(0, 80):
        threshold = step / 100
        right = sum(faq != "none" and got == faq and score >= threshold
                    for (_, _, faq), (got, score) in zip(rows, ranked, strict=True))
        abstained = sum(faq == "none" and score < threshold
                        for (_, _, faq), (_, score) in zip(rows, ranked, strict=True))
        answerable = sum(faq != "none" for _, _, faq in rows)
        total = (right + abstained) / len(rows)
        if total > best[0]:
            best = (total, threshold, right / answerable, abstained / (len(rows) - answerable))
    return best


def measure(label: str, rank: Ranker, rows, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        ranked = [rank(co, text) for co, text, _ in rows]
        runs.append((time.perf_counter() - start) / len(rows) * 1000)
    per_message = min(runs)
    total, threshold, top1, abstain = quality(rows, ranked)
    print(f"{label:28} {per_message:8.3f} ms/message (best of {repeat}, median "
          f"{statistics.median(runs):.3f})  top-1 {top1:6.1%}  abstains {abstain:6.1%}  "
          f"(threshold {threshold:.2f}, right+abstained {total:.1%})")
    return per_message


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = [(co, text, faq) for name in TUNING for co, text, faq in questions(SETS[name])]
    print(f"{len(rows)} retrieval questions from {', '.join(TUNING)}")
    base = measure("lexical (product)", lexical(), rows, args.repeat)
    try:
        before = rss_mb()
        start = time.perf_counter()
        model = load_wordllama()
        loaded = time.perf_counter() - start
    except ImportError:
        print("wordllama is not installed: lexical figures only (see the module docstring)")
        return
    rank = embedded(model)
    print(f"wordllama load {loaded:.2f} s, resident memory +{rss_mb() - before:.0f} MB "
          f"(weights and tokenizer, passages embedded)")
    cost = measure("wordllama (cosine)", rank, rows, args.repeat)
    mixed = measure("lexical 0.7 + wordllama 0.3", blended(model), rows, args.repeat)
    print(f"ratio to lexical per message: wordllama {cost / base:.2f}x, blend {mixed / base:.2f}x")


if __name__ == "__main__":
    main()

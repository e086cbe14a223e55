"""Splitting documents into chunks and finding the chunks that answer a question.

Retrieval is lexical (BM25, always available, accent- and case-insensitive, with light
Portuguese/English stemming) and, when the provider gives embeddings, blended with
cosine similarity. An agent's knowledge is small (hundreds of chunks), so scoring
all of them in memory per question is cheap and needs no search server.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

CHUNK_CHARS = 900
CHUNK_OVERLAP = 150
MIN_SCORE = 0.3  # below it, a passage is not an answer

_STOPWORDS = frozenset("""
a o as os um uma uns umas de do da dos das no na nos nas em por para pra pro com sem e ou que
se eu voce voces vc vcs ele ela eles elas nos me te lhe meu minha seu sua isso isto esse essa
este esta aquele aquela ao aos ja nao sim mais menos muito pouco qual quais quando como onde
porque entre tem ter ser estar foi sao era the an of to in on for with and or is are was were be
i you he she it we they my your our their this that these those at by from as do does did
can could would should will what which who how when where why if then than so not no yes
ola oi bom dia boa tarde noite obrigado obrigada please por favor hi hello
""".split())


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


_SUFFIXES = ("amos", "emos", "imos", "aram", "eram", "ando", "endo", "indo", "ados", "adas",
             "idos", "idas", "coes", "cao", "mente", "ing", "ies", "ed", "ar", "er", "ir", "am",
             "em", "as", "es", "os", "a", "e", "o", "s", "y")


def _stem(word: str) -> str:
    # One ending off, then the first five letters: crude, but "entrega", "entregam" and
    # "entregamos" meet, and so do "deliver" and "delivery".
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:5]


def tokens(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", normalise(text))
            if w not in _STOPWORDS and len(w) > 1]


def split(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Chunks of about ``size`` characters on paragraph or sentence boundaries."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    pieces = [p.strip() for p in re.split(r"\n\s*\n|(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÂÊÔÃÕÇ])", text)
              if p.strip()]
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        while len(piece) > size:  # a paragraph longer than a chunk: cut it at a space
            cut = piece.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            pieces_head, piece = piece[:cut], piece[cut:].strip()
            if current:
                chunks.append(current)
                current = ""
            chunks.append(pieces_head)
        if current and len(current) + len(piece) + 1 > size:
            chunks.append(current)
            current = current[-overlap:].split(" ", 1)[-1] if overlap else ""
        current = f"{current}\n{piece}".strip() if current else piece
    if current:
        chunks.append(current)
    return chunks


def extract_text(filename: str, data: bytes) -> str:
    """Text of an uploaded document: plain text, Markdown or PDF."""
    name = filename.lower()
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    if name.endswith((".txt", ".md", ".markdown", ".csv")):
        if b"\x00" in data[:8192]:  # a binary file renamed: latin-1 would "decode" it
            raise ValueError("unsupported_document")
        for encoding in ("utf-8", "latin-1"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ValueError("unsupported_document")


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str
    embedding: list[float] | None = None


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # 0..1, comparable across questions


def bm25(query: list[str], docs: list[list[str]], k1: float = 1.4, b: float = 0.75) -> list[float]:
    if not docs:
        return []
    n = len(docs)
    avg = sum(len(d) for d in docs) / n or 1.0
    df = Counter(term for d in docs for term in set(d))
    scores = []
    for doc in docs:
        tf = Counter(doc)
        score = 0.0
        for term in set(query):
            if term not in tf:
                continue
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            score += idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * len(doc) / avg))
        scores.append(score)
    return scores


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def search(question: str, passages: list[Passage], *, limit: int = 4,
           query_embedding: list[float] | None = None) -> list[Hit]:
    """The best passages for the question, best first, with a 0..1 score.

    The lexical score is the share of the question's terms a passage covers, weighted by
    BM25 so rare terms count more; with embeddings it is averaged with cosine similarity.
    """
    query = tokens(question)
    if not passages or not query:
        return []
    docs = [tokens(f"{p.title} {p.text}") for p in passages]
    # Scored with a perfect passage (the question itself) appended: its score is the
    # ceiling that makes a score comparable between questions.
    *raw, ideal = bm25(query, docs + [query])
    ideal = max(ideal, 1e-9)
    hits = []
    for passage, score, doc in zip(passages, raw, docs, strict=True):
        coverage = len(set(query) & set(doc)) / len(set(query))
        lexical = min(1.0, 0.5 * coverage + 0.5 * min(1.0, score / ideal))
        if query_embedding is not None and passage.embedding:
            lexical = 0.5 * lexical + 0.5 * max(0.0, _cosine(query_embedding, passage.embedding))
        if lexical > 0:
            hits.append(Hit(passage, round(lexical, 4)))
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:limit]


def relevant(question: str, passages: list[Passage], *,
             query_embedding: list[float] | None = None) -> list[Hit]:
    """The passages good enough to answer with, best first; empty means abstain."""
    hits = search(question, passages, query_embedding=query_embedding)
    return [h for h in hits if h.score >= MIN_SCORE]

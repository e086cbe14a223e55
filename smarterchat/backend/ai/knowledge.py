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
# Below it, a passage is not an answer. Calibrated on the two tuning sets, evals/tuning and
# evals/frozen (python -m evals.calibrate): the highest threshold at which top-1 stays >= 85 %
# on each. Higher buys few abstentions (gaps share words with some entry) for many right
# answers lost: 0.28 keeps 267 of 302 right and abstains on 50 of 65 gaps; 0.36, 251 and 52.
MIN_SCORE = 0.28

_STOPWORDS = frozenset("""
a o as os um uma uns umas de do da dos das no na nos nas em por para pra pro com sem e ou que
se eu voce voces vc vcs ele ela eles elas nos me te lhe meu minha seu sua isso isto esse essa
este esta aquele aquela ao aos ja nao sim mais menos muito pouco qual quais quando como onde
porque entre tem ter ser estar foi sao era the an of to in on for with and or is are was were be
i you he she it we they my your our their this that these those at by from as do does did
can could would should will what which who how when where why if then than so not no yes
ola oi bom dia boa tarde noite obrigado obrigada please por favor hi hello
have has had there any just want wanted need know tell get like would don dont im ive me us
quero queria quer sou faz fazem fazer posso pode podem preciso precisa ta tambem coisa aqui
ai la so saber gostaria alguma algum tenho
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


# Chat shorthand and a small bilingual table: each word maps to one or more canonical
# Portuguese words before stemming, so "qto", "how much" and "preço" meet, and a tourist's
# English question finds a pt-BR FAQ. General customer-service vocabulary, not any one FAQ.
_SYNONYMS = {
    "qto": "quanto", "qnto": "quanto", "vc": "voce", "vcs": "voces", "net": "internet",
    "wpp": "whatsapp", "zap": "whatsapp", "hj": "hoje", "amanha": "amanha", "2": "segunda",
    "hour": "horario", "hours": "horario", "horas": "horario", "hora": "horario",
    "horarios": "horario", "open": "horario abre", "opening": "horario abre",
    "abre": "horario abre", "abrem": "horario abre", "aberto": "horario abre",
    "close": "horario fecha", "closes": "horario fecha", "fecha": "horario fecha",
    "funcionamento": "horario", "time": "horario",
    "price": "preco", "prices": "preco", "pricing": "preco", "cost": "preco", "costs": "preco",
    "custa": "preco", "custo": "preco", "valor": "preco", "valores": "preco",
    "precos": "preco", "quanto": "preco", "much": "preco", "fee": "preco", "fees": "preco",
    "rate": "preco", "rates": "preco", "cobra": "preco", "cobram": "preco", "sai": "preco",
    "monthly": "mensal", "mensalidade": "mensal preco", "month": "mes",
    "plan": "plano", "plans": "plano", "planos": "plano", "membership": "plano",
    "package": "pacote",
    "deliver": "entrega", "delivery": "entrega", "entregam": "entrega", "entregar": "entrega",
    "entregas": "entrega", "ifood": "entrega",
    "shipping": "frete", "ship": "frete", "envio": "frete", "enviam": "frete",
    "parking": "estacionamento", "park": "estacionamento", "estacionar": "estacionamento",
    "carro": "estacionamento", "car": "estacionamento", "valet": "manobrista",
    "pet": "pet", "pets": "pet", "dog": "pet", "dogs": "pet", "cat": "pet", "cats": "pet",
    "cachorro": "pet", "cachorrinha": "pet", "cachorrinho": "pet", "gato": "pet",
    "gata": "pet", "animal": "pet", "animais": "pet",
    "vegetarian": "vegetariano", "vegetariana": "vegetariano", "vegan": "vegetariano vegano",
    "vegana": "vegetariano vegano", "vegano": "vegetariano vegano",
    "gluten": "gluten", "insurance": "convenio", "convenios": "convenio",
    "cleaning": "limpeza", "profilaxia": "limpeza",
    "children": "crianca", "child": "crianca", "kids": "crianca", "kid": "crianca",
    "criancas": "crianca", "infantil": "crianca",
    "emergency": "urgencia", "urgente": "urgencia", "urgencias": "urgencia",
    "toothache": "dor urgencia", "pain": "dor",
    "where": "endereco", "located": "endereco", "location": "endereco", "address": "endereco",
    "onde": "endereco", "localizacao": "endereco", "fica": "endereco",
    "trial": "experimental", "class": "aula", "classes": "aula", "aulas": "aula",
    "lesson": "aula", "lessons": "aula", "course": "curso", "courses": "curso",
    "cursos": "curso", "evening": "noite", "night": "noite", "morning": "manha",
    "saturday": "sabado", "sabados": "sabado", "sunday": "domingo", "domingos": "domingo",
    "monday": "segunda", "mondays": "segunda", "weekdays": "semana", "week": "semana",
    "weekend": "sabado domingo",
    "installation": "instalacao", "install": "instalacao", "instalar": "instalacao",
    "instalam": "instalacao", "slow": "lenta", "lento": "lenta", "lentidao": "lenta",
    "bill": "fatura", "invoice": "fatura", "boleto": "fatura pagamento", "via": "via",
    "fine": "multa", "penalty": "multa", "contract": "contrato", "loyalty": "fidelidade",
    "coverage": "cobertura", "cover": "cobertura", "neighborhood": "bairro", "cep": "cep",
    "exchange": "troca", "return": "troca devolucao", "trocar": "troca",
    "devolver": "devolucao", "refund": "devolucao",
    "size": "tamanho", "sizes": "tamanho", "medida": "tamanho", "medidas": "tamanho",
    "payment": "pagamento", "pay": "pagamento", "pagar": "pagamento", "pix": "pagamento pix",
    "card": "cartao", "parcela": "parcela", "parcelar": "parcela", "installments": "parcela",
    "store": "loja", "shop": "loja", "physical": "fisica",
    "discount": "desconto", "coupon": "cupom", "code": "cupom",
    "certificate": "certificado", "placement": "nivelamento", "level": "nivel",
    "reservation": "reserva", "reserve": "reserva", "reservar": "reserva", "book": "reserva",
    "booking": "reserva", "table": "mesa",
    "birthday": "aniversario", "party": "festa evento", "festa": "festa evento",
    "event": "evento", "events": "evento", "eventos": "evento",
    "confraternizacao": "evento",
    "breakfast": "cafe", "beach": "praia", "checkin": "check", "enroll": "matricula",
    "enrollment": "matricula", "matricular": "matricula", "trainer": "personal",
    "trainers": "personal", "track": "rastreio", "tracking": "rastreio",
    "rastrear": "rastreio", "rastreamento": "rastreio", "dentist": "dentista",
    "braces": "aparelho", "aligners": "alinhadores", "whitening": "clareamento",
    "implants": "implante", "implant": "implante", "teeth": "dente", "tooth": "dente",
    "speed": "velocidade", "swimming": "piscina", "pool": "piscina",
    "haircut": "corte cabelo", "cut": "corte", "hair": "cabelo", "mens": "masculino",
    "men": "masculino", "women": "feminino", "bridal": "noiva", "bride": "noiva",
    "makeup": "maquiagem", "tow": "guincho", "remarcar": "marcar", "marco": "marcar",
    "agendar": "marcar agendar", "schedule": "marcar agendar", "appointment": "consulta marcar",
    "documents": "documentos", "document": "documento", "rent": "alugar aluguel",
    "renting": "alugar aluguel", "apartment": "apartamento", "ape": "apartamento",
    "bath": "banho", "grooming": "tosa", "vaccine": "vacina", "food": "comida", "vet": "veterinario",
    "veterinaria": "veterinario", "tax": "imposto", "taxes": "imposto",
}


def tokens(text: str) -> list[str]:
    words = []
    for word in re.findall(r"[a-z0-9]+", normalise(text)):
        words += _SYNONYMS.get(word, word).split()
    return [_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1]


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

    A WhatsApp message is long and an FAQ question short, so the score must not fall with
    the message's length: it is the idf-weighted share of the FAQ entry's question that the
    message covers, averaged with the share of the message's known words (those in any
    passage) that the passage holds. Words no passage has count at half weight, so a
    question about something absent (a gap) stays low and the agent abstains. With
    embeddings, it is averaged with cosine similarity.
    """
    query = set(tokens(question))
    if not passages or not query:
        return []
    docs = [tokens(f"{p.title} {p.text}") for p in passages]
    n = len(docs)
    df = Counter(term for d in docs for term in set(d))
    max_idf = math.log(1 + (n + 0.5) / 0.5)

    def idf(term: str) -> float:
        return math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5)) if df[term] else max_idf

    weight = {t: idf(t) * (1.0 if df[t] else 0.5) for t in query}
    total = sum(weight.values()) or 1.0
    raw = bm25(list(query), docs)
    hits = []
    for passage, doc, tie in zip(passages, docs, raw, strict=True):
        terms = set(doc)
        body = sum(weight[t] for t in query & terms) / total
        if passage.title.endswith("?"):
            title = set(tokens(passage.title))
            asked = sum(idf(t) for t in title) or 1.0
            score = 0.5 * body + 0.5 * sum(idf(t) for t in title & query) / asked
        else:
            score = body
        if query_embedding is not None and passage.embedding:
            score = 0.5 * score + 0.5 * max(0.0, _cosine(query_embedding, passage.embedding))
        if score > 0:
            hits.append((round(score, 4), tie, passage))
    hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
    return [Hit(p, score) for score, _, p in hits[:limit]]


def relevant(question: str, passages: list[Passage], *,
             query_embedding: list[float] | None = None) -> list[Hit]:
    """The passages good enough to answer with, best first; empty means abstain."""
    hits = search(question, passages, query_embedding=query_embedding)
    return [h for h in hits if h.score >= MIN_SCORE]

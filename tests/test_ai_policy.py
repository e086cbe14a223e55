"""The AI's product rules, one behaviour each: handoff, progress, cancellation, keywords,
temperature, retrieval and the offline answers."""

from __future__ import annotations

import pytest

from smarterchat.backend.ai import knowledge, policy, rules
from smarterchat.backend.ai.brain import (
    AgentConfig,
    Context,
    OfflineBrain,
    Turn,
    best_part,
    rules_not_followed,
)
from smarterchat.backend.ai.types import Intent, Temperature
from smarterchat.backend.services.agents import DEFAULT_HANDOFF_RULES

RULES = dict(DEFAULT_HANDOFF_RULES)


def decide(text: str, history: list[Turn] | None = None, **overrides):
    merged = {**RULES, **overrides}
    cls = rules.classify(text, [t.text for t in history or [] if t.role == "customer"],
                         cancellation_exceptions=merged.get("cancellation_exceptions") or [])
    return policy.decide(merged, cls, text, history or [], open_now=True)


# ------------------------------------------------------------------ keywords

@pytest.mark.parametrize("text", ["Quero falar sobre o JURÍDICO", "o juridico pode ver?"])
def test_a_keyword_matches_the_word_whatever_its_accents_and_case(text):
    assert decide(text, keywords=["jurídico"]).reason == "keyword"


@pytest.mark.parametrize("text", [
    "minha encomenda chegou",  # "comenda" inside another word
    "o pedido é de uma Jurídica Silva",  # another word that starts the same
])
def test_a_keyword_inside_another_word_does_not_hand_off(text):
    assert not decide(text, keywords=["comenda", "juridico"]).handoff


@pytest.mark.parametrize("text", ["não quero falar com o financeiro, só saber o horário",
                                  "I don't need billing, just the hours"])
def test_a_negated_keyword_does_not_hand_off(text):
    assert not decide(text, keywords=["financeiro", "billing"]).handoff


# ------------------------------------------------------------------ asking for a person

@pytest.mark.parametrize("text", [
    "nao quero falar com atendente, so quero saber o horario",
    "não precisa me transferir, é só uma pergunta",
    "I don't want to talk to an agent, just tell me the price",
    "no need to transfer me, what are your hours?",
])
def test_a_negated_request_for_a_person_is_not_a_handoff(text):
    got = decide(text)
    assert not got.handoff, got.reason


@pytest.mark.parametrize("text", ["vc é um robo?", "to falando com robô ou com gente?",
                                  "am I talking to a bot?", "are you a real person or an AI?"])
def test_asking_whether_it_is_a_bot_is_answered_not_handed_off(text):
    assert not decide(text).handoff
    agent = AgentConfig(id="a", organization_id="o", organization_name="Loja X", name="X")
    ctx = Context(agent=agent, history=[], question=text, customer_texts=[text], passages=[])
    brain = OfflineBrain()
    answer, _ = brain.answer(ctx, brain.classify(ctx)[0])
    assert "Loja X" in answer.text and not answer.fallback


@pytest.mark.parametrize("text", [
    "aqui é a Ana Pessoa, qual o horário?",  # a surname that is a cue word
    "sou gerente de uma loja e queria saber os planos",  # who the customer is
    "minha filha faz ciências humanas, tem inglês pra adulto?",
    "o consultório fica em qual rua?",
    "da pra pagar por transferencia?",
])
def test_surnames_roles_and_words_that_contain_cues_do_not_hand_off(text):
    assert not decide(text).handoff


@pytest.mark.parametrize("text", [
    "nossa que robô inteligente hein, não entende nada",  # sarcasm about the bot
    "oxe, tem ninguem pra me atender nao?",  # regional speech
    "bah tchê, bota alguém de verdade pra falar comigo",
    "a Juliana que me atendeu semana passada ta ai?",  # a named person
    "chama o Dr. Paulo pra mim",
    "tem alguem ai?", "hello? anyone there?",
    "vou abrir reclamação no procon", "vou pedir chargeback no cartão",
    "vou falar com a ouvidoria", "vou mudar pra Vivo", "I'm switching to another provider",
])
def test_indirect_requests_and_threats_hand_off(text):
    assert decide(text).handoff


@pytest.mark.parametrize("text", ["ok", "👍", "?", "kkkkk", "rsrs", "blz", "haha", "obg",
                                  "voltei com outra dúvida", "hi again, I have another question"])
def test_greetings_and_acknowledgements_are_not_off_topic_nor_a_handoff(text):
    got = rules.classify(text)
    assert got.intent is Intent.GREETING
    assert not decide(text).handoff


# ------------------------------------------------------------------ cancellation

@pytest.mark.parametrize("text", ["quero cancelar meu plano", "qro cancelr minha assinatura",
                                  "kero cancela o plano anual", "preciso encerrar meu contrato",
                                  "I want to cancel my membership", "desisti, cancela tudo"])
def test_cancelling_is_its_own_intent_and_hands_off(text):
    assert rules.classify(text).intent is Intent.CANCELLATION
    got = decide(text)
    assert got.handoff and got.reason == "cancellation"


@pytest.mark.parametrize("text", [
    "quero remarcar minha consulta de quinta",
    "quero mudar pro plano mais barato",
    "não quero cancelar, só trancar uns dias",
    "I'm not cancelling, I just want to freeze my plan",
    "a aula de hoje foi cancelada?",  # news, not the customer cancelling
    "qual a política de cancelamento?",
])
def test_rescheduling_downgrades_and_not_cancelling_are_not_cancellations(text):
    assert rules.classify(text).intent is not Intent.CANCELLATION
    assert not decide(text).handoff


def test_the_admin_states_cancellations_the_agent_handles_itself():
    text = "preciso cancelar a reserva de sábado"
    assert decide(text).reason == "cancellation"
    assert not decide(text, cancellation_exceptions=["reserva"]).handoff
    assert not decide(text, cancellation=False).handoff  # the rule can be switched off


# ------------------------------------------------------------------ progress

def test_fallbacks_are_not_failures():
    history = [Turn("customer", "tem piscina?"), Turn("assistant", "Não sei.", fallback=True),
               Turn("customer", "e sauna?"), Turn("assistant", "Não sei.", fallback=True)]
    assert not decide("ok, e qual o horário de sábado?", history).handoff


def test_the_same_question_unanswered_twice_hands_off():
    history = [Turn("customer", "tem piscina na academia?"),
               Turn("assistant", "Não sei.", fallback=True),
               Turn("customer", "mas tem piscina ou não tem?"),
               Turn("assistant", "Não sei.", fallback=True)]
    assert policy.unanswered(history[:2], "mas tem piscina ou não tem?") == 1
    got = decide("vc não respondeu minha pergunta", history)
    assert got.handoff and got.reason == "no_progress"


def test_yes_to_the_fallbacks_offer_of_a_person_hands_off():
    history = [Turn("customer", "tem sauna?"),
               Turn("assistant", "Não tenho certeza. Quer falar com uma pessoa?", fallback=True)]
    assert decide("sim, quero", history).reason == "asked_for_human"
    assert not decide("não, tudo bem", history).handoff
    answered = [history[0], Turn("assistant", "Temos sauna.")]
    assert not decide("sim", answered).handoff  # a yes to an answer is an acknowledgement


# ------------------------------------------------------------------ temperature

def test_temperature_follows_the_latest_reading_and_cools():
    lead = rules.extract_lead(["quanto ta o plano?", "quero contratar hoje, manda o link",
                               "pensando bem, vou esperar, talvez ano que vem"])
    assert lead.temperature is Temperature.COLD
    assert "pesquisando" in lead.reason.lower() or "pressa" in lead.reason.lower()


def test_a_message_without_a_buying_signal_keeps_the_temperature():
    lead = rules.extract_lead(["quanto custa o plano anual?", "ok", "tem estacionamento?"])
    assert lead.temperature is Temperature.WARM


def test_an_early_budget_and_a_later_now_do_not_make_a_lead_hot():
    lead = rules.extract_lead(["tenho uns 100 reais por mes", "to chegando agora no trabalho"])
    assert lead.temperature is Temperature.WARM and lead.budget == "uns 100 reais"


def test_a_cancellation_cools_the_lead():
    assert rules.extract_lead(["quanto é o plano?", "quero cancelar"]).temperature is \
        Temperature.COLD


# ------------------------------------------------------------------ extraction

@pytest.mark.parametrize("text, name, company", [
    ("sou Marcos, qual horario?", "Marcos", None),
    ("aqui é Joana da Padaria Pão Quente, queria os planos", "Joana", "Padaria Pão Quente"),
    ("Fernanda aqui, queria reservar", "Fernanda", None),
    ("falo pela Metalúrgica Ribeiro, meu nome é Carlos", "Carlos", "Metalúrgica Ribeiro"),
])
def test_names_without_an_article_and_companies_after_a_preposition(text, name, company):
    lead = rules.extract_lead([text])
    assert (lead.name, lead.company) == (name, company)


@pytest.mark.parametrize("text", ["moro a 2 mil km de sp", "fica a uns 5 mil metros daqui"])
def test_a_distance_in_thousands_is_not_a_budget(text):
    assert rules.extract_lead([text]).budget is None


def test_the_lead_keeps_learning_after_the_handoff():
    lead = policy.lead_after_handoff(["quero falar com um atendente", "meu nome é Patricia Souza",
                                      "email patricia.souza@hotmail.com"])
    assert lead.name == "Patricia Souza" and lead.email == "patricia.souza@hotmail.com"


# ------------------------------------------------------------------ retrieval

FAQ = [knowledge.Passage("hours", "Qual o horário de atendimento?",
                         "Atendemos de segunda a sexta, das 8h às 19h."),
       knowledge.Passage("price", "Quanto custa uma limpeza?",
                         "A limpeza com avaliação custa R$ 180."),
       knowledge.Passage("kids", "Atendem crianças?", "Sim, a partir de 2 anos.")]


def test_a_long_whatsapp_message_still_finds_its_entry():
    long = ("boa tarde tudo bem? queria saber ate que horas vcs atendem durante a semana pq eu "
            "saio do trabalho as 18h e nao consigo chegar antes, obrigada")
    hits = knowledge.relevant(long, FAQ)
    assert hits and hits[0].passage.id == "hours"
    # The share of the message's words found would be ~0.1 here: length must not punish.
    assert hits[0].score >= knowledge.MIN_SCORE + 0.15


def test_an_english_question_finds_a_portuguese_entry():
    assert knowledge.relevant("how much is a teeth cleaning?", FAQ)[0].passage.id == "price"
    assert knowledge.relevant("do you see children?", FAQ)[0].passage.id == "kids"


def test_filler_words_in_either_language_do_not_dilute_the_score():
    plain = knowledge.search("horário de atendimento?", FAQ)[0]
    padded = knowledge.search("I just want to know, do you have any hours?", FAQ)[0]
    chatty = knowledge.search("queria saber, vcs tem algum horario de atendimento?", FAQ)[0]
    assert plain.passage.id == padded.passage.id == chatty.passage.id == "hours"
    assert padded.score >= knowledge.MIN_SCORE and chatty.score == plain.score


def test_retrieval_abstains_when_the_knowledge_has_no_answer():
    assert knowledge.relevant("vcs fazem implante dentario?", FAQ) == []


def test_a_document_chunk_is_cut_to_the_sentences_that_answer():
    chunk = knowledge.Passage("doc", "Manual do aluno.pdf", (
        "A escola foi fundada em 1998 e tem três unidades. Nossos professores são formados em "
        "letras. O estacionamento é gratuito para alunos por duas horas. A biblioteca abre das "
        "8h às 20h e empresta livros por uma semana. As provas são bimestrais e a média é sete. "
        "O uniforme é obrigatório nas aulas presenciais."))
    part = best_part(chunk, "tem estacionamento pra aluno?")
    assert "estacionamento é gratuito" in part and "fundada" not in part
    assert len(part) < len(chunk.text) / 2


# ------------------------------------------------------------------ offline answers

def _ctx(question: str, *, first: bool, channel: str = "WhatsApp") -> Context:
    agent = AgentConfig(id="a", organization_id="o", organization_name="Clínica", name="C",
                        greeting="Olá! Sou a assistente da Clínica.")
    return Context(agent=agent, history=[], question=question, customer_texts=[question],
                   passages=FAQ, first_turn=first, channel=channel)


def test_the_first_answer_does_not_repeat_the_greeting():
    brain = OfflineBrain()
    ctx = _ctx("qual o horário de atendimento?", first=True)
    answer, _ = brain.answer(ctx, brain.classify(ctx)[0])
    assert "Olá" not in answer.text and "segunda a sexta" in answer.text
    web = _ctx("oi", first=True, channel="web chat")  # the widget already showed it
    assert "Olá" not in brain.answer(web, brain.classify(web)[0])[0].text
    later = _ctx("ok", first=False)
    assert "Olá" not in brain.answer(later, brain.classify(later)[0])[0].text


def test_suggested_replies_offer_the_answer_and_next_steps_not_the_greeting():
    replies, _ = OfflineBrain().suggest(_ctx("quanto custa a limpeza?", first=False), 3)
    assert replies[0] == "A limpeza com avaliação custa R$ 180."
    assert len(replies) == 3 and all("Olá" not in r for r in replies)


def test_rules_the_offline_provider_cannot_follow_are_reported():
    written = ["Sempre peça o e-mail antes de informar o preço", " "]
    assert rules_not_followed("offline", written) == [written[0]]
    assert rules_not_followed("openai", written) == []


def test_a_lead_keeps_known_fields_until_a_new_value_arrives():
    known = {"name": "Ana", "email": "ana@x.com"}
    new = rules.extract_lead(["meu email novo é ana.souza@y.com"])
    fields = policy.merged_fields(known, new)
    assert fields == {"name": "Ana", "email": "ana.souza@y.com"}
    assert known == {"name": "Ana", "email": "ana@x.com"}  # the caller's dict is not changed

"""The offline classifier: handoff, lead signals, temperature, sentiment and honest confidence."""

from __future__ import annotations

import pytest

from smarterchat.backend.ai.rules import classify, detect_language, extract_lead
from smarterchat.backend.ai.types import Intent, Sentiment, Temperature


@pytest.mark.parametrize("text", [
    "Quero falar com uma pessoa",
    "atendente humano pfv",
    "me transfere pro vendedor por favor",
    "tem algum consultor disponível?",
    "gerente",
    "não quero falar com robô",
    "I want to talk to a real person",
    "agent, please",
    "Can someone from sales call me?",
    "representative",
])
def test_asking_for_a_person_is_a_handoff_in_both_languages(text):
    got = classify(text)
    assert got.intent is Intent.HUMAN_REQUEST
    assert got.wants_human


def test_asking_for_a_person_wins_over_a_purchase_in_the_same_message():
    got = classify("quero comprar 20 licenças, pode um vendedor me ligar?")
    assert got.intent is Intent.HUMAN_REQUEST and got.wants_human
    assert got.lead.temperature is not Temperature.COLD


@pytest.mark.parametrize("text", [
    "PÉSSIMO!!! veio quebrado, quero falar com o gerente",
    "Absolutely unacceptable, the order is broken again. Get me a supervisor.",
])
def test_a_strong_complaint_that_demands_a_person_is_a_complaint_routed_to_a_person(text):
    got = classify(text)
    assert got.intent is Intent.COMPLAINT
    assert got.wants_human
    assert got.sentiment is Sentiment.NEGATIVE


@pytest.mark.parametrize("text", ["vou denunciar no procon", "I'll file a chargeback with my bank"])
def test_threats_to_escalate_go_to_a_person_even_without_asking(text):
    assert classify(text).wants_human


def test_an_ordinary_complaint_stays_with_the_agent():
    got = classify("o pedido chegou atrasado e com a caixa amassada")
    assert got.intent is Intent.COMPLAINT
    assert not got.wants_human


@pytest.mark.parametrize("text, name", [
    ("oi, meu nome é joão pedro e queria um orçamento", "João Pedro"),
    ("Me chamo Ana, tudo bem?", "Ana"),
    ("boa tarde, sou a Carla", "Carla"),
    ("my name is peter parker", "Peter Parker"),
    ("Hi, I'm Sarah", "Sarah"),
])
def test_lead_name(text, name):
    assert extract_lead([text]).name == name


@pytest.mark.parametrize("text", ["sou o dono da loja", "I'm interested in the annual plan"])
def test_lowercase_words_after_sou_or_im_are_not_names(text):
    assert extract_lead([text]).name is None


@pytest.mark.parametrize("text, phone", [
    ("meu whats é +55 (11) 91234-5678", "+5511912345678"),
    ("pode ligar no 11 91234-5678", "+5511912345678"),
    ("fixo (21) 3456-7890", "+552134567890"),
    ("11912345678", "+5511912345678"),
    ("5511912345678", "+5511912345678"),
    ("celular 91234-5678", "91234-5678"),
    ("call me on +1 415 555 0133", "+14155550133"),
])
def test_lead_phone_in_brazilian_and_international_formats(text, phone):
    assert extract_lead([text]).phone == phone


@pytest.mark.parametrize("text", ["meu pedido é o 48213", "CPF 123.456.789-00"])
def test_order_numbers_and_documents_are_not_phones(text):
    assert extract_lead([text]).phone is None


@pytest.mark.parametrize("text, budget", [
    ("tenho R$ 5.000 pra isso", "R$ 5.000"),
    ("uns 5 mil", "uns 5 mil"),
    ("posso pagar até 2k", "até 2k"),
    ("around $500 a month", "around $500"),
    ("our budget is 12,000 for the year", "12,000"),
    ("orçamento de 10 mil", "10 mil"),
    ("R$1.500,00 no máximo", "R$1.500,00"),
])
def test_lead_budget_in_money_formats(text, budget):
    assert extract_lead([text]).budget == budget


def test_plain_numbers_are_not_a_budget():
    assert extract_lead(["o tênis 42 ainda tem?", "pedido 55231"]).budget is None


def test_lead_email_company_and_interest():
    lead = extract_lead([
        "Bom dia, sou a Fernanda, da empresa Vidraçaria Luz.",
        "Quanto custa o plano empresarial? meu email é fernanda.luz@vidracarialuz.com.br",
    ])
    assert lead.email == "fernanda.luz@vidracarialuz.com.br"
    assert lead.company == "Vidraçaria Luz"
    assert lead.interest == "plano empresarial"
    assert extract_lead(["I work at Globex and want to buy 10 standing desks"]).company == "Globex"
    assert extract_lead(["Dana from Initech company here"]).company == "Initech"
    assert extract_lead(["someone from support, please"]).company is None


@pytest.mark.parametrize("text, urgency", [
    ("preciso pra hoje", "hoje"), ("pode ser agora?", "agora"), ("é urgente", "urgente"),
    ("quero começar essa semana", "essa semana"), ("consegue entregar amanhã?", "amanhã"),
    ("need it today", "today"), ("asap please", "asap"), ("can we start this week?", "this week"),
])
def test_lead_urgency(text, urgency):
    assert extract_lead([text]).urgency == urgency


@pytest.mark.parametrize("text", ["até agora nada", "just browsing for now"])
def test_until_now_and_for_now_are_not_urgency(text):
    assert extract_lead([text]).urgency is None


@pytest.mark.parametrize("text, temperature", [
    ("fechado! me manda o pix que eu pago agora", Temperature.HOT),
    ("We're ready to sign, send the contract", Temperature.HOT),
    ("tenho 3 mil e preciso até sexta", Temperature.HOT),
    ("qual o preço do plano mensal?", Temperature.WARM),
    ("how much for 5 seats?", Temperature.WARM),
    ("só curiosidade, quanto custa mais ou menos?", Temperature.COLD),
    ("just curious, do you sell abroad?", Temperature.COLD),
    ("que horas vocês abrem?", Temperature.COLD),
    ("quero um atendente agora", Temperature.COLD),  # urgency without buying is not a lead
])
def test_temperature(text, temperature):
    assert extract_lead([text]).temperature is temperature


def test_temperature_uses_the_whole_conversation():
    hedged_then_ready = ["só olhando por enquanto", "gostei, vou levar, como pago?"]
    assert extract_lead(hedged_then_ready).temperature is Temperature.HOT
    budget_then_deadline = ["tenho uns 8 mil pra isso", "e preciso começar amanhã"]
    lead = classify(budget_then_deadline[1], history=budget_then_deadline[:1]).lead
    assert lead.temperature is Temperature.HOT and lead.budget == "uns 8 mil"


def test_temperature_reason_is_in_the_customers_language():
    assert extract_lead(["qual o valor do plano anual?"]).reason.startswith("Perguntou")
    assert extract_lead(["what is the price of the annual plan?"]).reason.startswith("Asked")


@pytest.mark.parametrize("text, mood", [
    ("gostei muito", Sentiment.POSITIVE),
    ("não gostei", Sentiment.NEGATIVE),
    ("good service", Sentiment.POSITIVE),
    ("not good at all", Sentiment.NEGATIVE),
    ("não é ruim", Sentiment.POSITIVE),
    ("o carregador não funciona", Sentiment.NEGATIVE),
    ("como funciona a troca?", Sentiment.NEUTRAL),
    ("bom dia", Sentiment.NEUTRAL),
    ("amei o atendimento, obrigada! 😍", Sentiment.POSITIVE),
])
def test_sentiment_with_negation(text, mood):
    assert classify(text).sentiment is mood


@pytest.mark.parametrize("text", ["asdfgh", "xkcd qwrtp zzz"])
def test_gibberish_gets_low_confidence(text):
    got = classify(text)
    assert got.confidence < 0.5
    assert not got.wants_human


def test_several_cues_give_higher_confidence_than_a_single_weak_one():
    clear = classify("quero comprar o plano anual, qual o preço e aceita pix?")
    vague = classify("e o valor?")
    assert clear.intent is Intent.PURCHASE and clear.confidence >= 0.85
    assert vague.confidence < clear.confidence


@pytest.mark.parametrize("text", ["oi, bom dia", "Olá! tudo bem?", "hey, good morning", "valeu!",
                                  "bom diaa", "oiii"])
def test_a_greeting_alone_is_a_greeting(text):
    assert classify(text).intent is Intent.GREETING


@pytest.mark.parametrize("text, intent", [
    ("oi, bom dia! vocês entregam em Campinas?", Intent.SUPPORT),
    ("Olá, tudo bem? qnto custa a instalação?", Intent.PURCHASE),
    ("hi! my package never arrived", Intent.COMPLAINT),
    ("boa tarde, tem alguém aí? quero falar com um atendente", Intent.HUMAN_REQUEST),
])
def test_a_greeting_with_a_question_takes_the_questions_intent(text, intent):
    assert classify(text).intent is intent


def test_accents_case_and_chat_abbreviations_do_not_change_the_answer():
    forms = ["Quanto custa o plano?", "QUANTO CUSTA O PLANO?", "qto custa o plano", "qnto custa o plano"]
    assert {classify(t).intent for t in forms} == {Intent.PURCHASE}
    assert classify("vcs entregam no sábado?").intent == classify("Vocês entregam no sabado?").intent


def test_language_detection_and_history_tiebreak():
    assert detect_language("vocês entregam no sábado?") == "pt-BR"
    assert detect_language("do you deliver on saturdays?") == "en"
    assert classify("ok", history=["where is my order?"]).language == "en"
    assert classify("ok", history=["cadê meu pedido?"]).language == "pt-BR"


def test_off_topic_is_recognised():
    for text in ("me conta uma piada", "who won the football game?", "vai chover amanhã?"):
        assert classify(text).intent is Intent.OFF_TOPIC


@pytest.mark.parametrize("text", [
    "fazem adestramento?",
    "vcs aceitam odontoprev?",
    "n quero falar com ninguem, so quero saber se tem aula experimental",
    "nao precisa chamar ninguem, me confirma se tem fibra no cep 13040-000",
    "I don't need an agent, just tell me how long installation takes",
])
def test_a_question_put_to_the_business_is_support_not_off_topic(text):
    got = classify(text)
    assert got.intent is Intent.SUPPORT and not got.wants_human


@pytest.mark.parametrize("text", [
    "me chamo Roberto Lima",
    "meu email é lucia.alves@gmail.com",
    "meu whats é 11 98765-4321",
])
def test_giving_only_contact_details_is_no_request(text):
    got = classify(text)
    assert got.intent is Intent.GREETING and not got.wants_human
    assert got.lead.name or got.lead.email or got.lead.phone


def test_a_name_with_a_request_keeps_the_requests_intent():
    assert classify("me chamo Roberto, quanto custa o plano?").intent is Intent.PURCHASE

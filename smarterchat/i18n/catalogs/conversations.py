"""What a conversation's own thread says: the system lines written when it changes hands
(taken over, transferred, returned to the AI, resolved, reopened, assigned automatically,
handed to a person) and the reasons for a handoff they name.

The thread shows a line from its event code (``event.<code>``, see ``state/inbox_items``);
``backend/services/transitions.py`` writes each line's stored text through ``translate``.
The AI's own words to the customer when it hands over (``conversation.ai_*``, used when
the agent has none of its own) are here too.
"""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "event.take_over": {"pt-BR": "{name} assumiu a conversa", "en": "{name} took over the conversation"},
    "event.return_to_ai": {"pt-BR": "{name} devolveu a conversa para a IA", "en": "{name} handed the conversation back to the AI"},
    "event.transfer": {"pt-BR": "{name} transferiu a conversa para {to}", "en": "{name} transferred the conversation to {to}"},
    "event.transfer_team": {"pt-BR": "{name} transferiu a conversa para a equipe {to}", "en": "{name} transferred the conversation to team {to}"},
    "event.resolve": {"pt-BR": "{name} resolveu a conversa", "en": "{name} resolved the conversation"},
    "event.reopen": {"pt-BR": "{name} reabriu a conversa", "en": "{name} reopened the conversation"},
    "event.auto_assign": {"pt-BR": "Distribuída automaticamente para {to}", "en": "Assigned automatically to {to}"},
    "event.handoff": {"pt-BR": "Transferido para atendimento humano: {reason}", "en": "Handed to a person: {reason}"},
    "handoff_reason.asked_for_human": {"pt-BR": "o cliente pediu para falar com uma pessoa", "en": "the customer asked for a person"},
    "handoff_reason.keyword": {"pt-BR": "uma palavra-chave de transferência apareceu", "en": "a handoff keyword came up"},
    "handoff_reason.negative_sentiment": {"pt-BR": "o cliente parece insatisfeito", "en": "the customer seems unhappy"},
    "handoff_reason.low_confidence": {"pt-BR": "a IA não teve confiança suficiente", "en": "the AI was not confident enough"},
    "handoff_reason.no_progress": {"pt-BR": "a IA não encontrou resposta em várias tentativas", "en": "the AI found no answer several times in a row"},
    "handoff_reason.cancellation": {"pt-BR": "o cliente quer cancelar", "en": "the customer wants to cancel"},
    "handoff_reason.hot_lead": {"pt-BR": "lead quente", "en": "hot lead"},
    "handoff_reason.outside_hours": {"pt-BR": "fora do horário de atendimento", "en": "outside business hours"},
    "handoff_reason.budget_exhausted": {"pt-BR": "o orçamento mensal de IA acabou", "en": "the monthly AI budget is spent"},
    "handoff_reason.ai_unavailable": {"pt-BR": "o provedor de IA não respondeu", "en": "the AI provider did not answer"},
    "handoff_reason.no_agent": {"pt-BR": "nenhum agente de IA ativo neste canal", "en": "no active AI agent on this channel"},
    "conversation.ai_handoff": {
        "pt-BR": "Vou chamar uma pessoa da nossa equipe para continuar o atendimento. Só um instante!",
        "en": "I'm bringing in a person from our team to help you. One moment, please!",
    },
    "conversation.ai_outside_hours": {
        "pt-BR": "Nossa equipe está fora do horário de atendimento agora. Sua mensagem ficou registrada e uma pessoa vai responder assim que voltarmos.",
        "en": "Our team is outside business hours right now. Your message is saved and a person will answer as soon as we are back.",
    },
}

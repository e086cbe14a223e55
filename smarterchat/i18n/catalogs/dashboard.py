"""The home page."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "home.greeting": {"pt-BR": "Olá, {name}!", "en": "Hello, {name}!"},
    "home.subtitle": {
        "pt-BR": "Um resumo do atendimento de {org} agora.",
        "en": "A summary of {org}'s customer service right now.",
    },
    "home.open_conversations": {"pt-BR": "Conversas abertas", "en": "Open conversations"},
    "home.waiting_human": {"pt-BR": "Aguardando humano", "en": "Waiting for a human"},
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
    "handoff_reason.hot_lead": {"pt-BR": "lead quente", "en": "hot lead"},
    "handoff_reason.outside_hours": {"pt-BR": "fora do horário de atendimento", "en": "outside business hours"},
    "handoff_reason.budget_exhausted": {"pt-BR": "o orçamento mensal de IA acabou", "en": "the monthly AI budget is spent"},
    "handoff_reason.ai_unavailable": {"pt-BR": "o provedor de IA não respondeu", "en": "the AI provider did not answer"},
    "handoff_reason.no_agent": {"pt-BR": "nenhum agente de IA ativo neste canal", "en": "no active AI agent on this channel"},
    "home.ai_budget_exhausted": {
        "pt-BR": "O orçamento mensal de IA acabou: novas conversas vão direto para a equipe até o próximo mês ou até o limite ser aumentado.",
        "en": "This month's AI budget is spent: new conversations go straight to your team until next month or until the limit is raised.",
    },
    "home.leads": {"pt-BR": "Leads", "en": "Leads"},
    "home.channels": {"pt-BR": "Canais ativos", "en": "Active channels"},
    "home.my_open": {"pt-BR": "Atribuídas a você", "en": "Assigned to you"},
    "home.agents": {"pt-BR": "Agentes de IA", "en": "AI agents"},
    "home.next_steps": {"pt-BR": "Por onde começar", "en": "Where to start"},
    "home.step_inbox": {
        "pt-BR": "Acompanhe as conversas que a IA está atendendo e assuma quando precisar.",
        "en": "Follow the conversations the AI is handling and take over when needed.",
    },
    "home.step_agents": {
        "pt-BR": "Veja como seus agentes de IA se apresentam e em quais canais respondem.",
        "en": "See how your AI agents introduce themselves and which channels they answer.",
    },
    "home.step_users": {
        "pt-BR": "Convide sua equipe: gerentes e consultores entram com o próprio e-mail.",
        "en": "Invite your team: managers and consultants sign in with their own email.",
    },
    "home.open": {"pt-BR": "Abrir", "en": "Open"},
}

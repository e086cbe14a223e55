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

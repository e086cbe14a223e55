"""The analytics page."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "analytics.title": {"pt-BR": "Relatórios", "en": "Analytics"},
    "analytics.subtitle": {
        "pt-BR": "Números do atendimento da sua organização.",
        "en": "Your organisation's customer service in numbers.",
    },
    "analytics.conversations_by_status": {"pt-BR": "Conversas por situação", "en": "Conversations by status"},
    "analytics.messages_7d": {"pt-BR": "Mensagens nos últimos 7 dias", "en": "Messages in the last 7 days"},
    "analytics.inbound": {"pt-BR": "Recebidas", "en": "Received"},
    "analytics.outbound": {"pt-BR": "Enviadas", "en": "Sent"},
    "analytics.by_ai": {"pt-BR": "Respondidas pela IA", "en": "Answered by the AI"},
    "analytics.leads_by_temperature": {"pt-BR": "Leads por temperatura", "en": "Leads by temperature"},
    "analytics.ai_cost": {"pt-BR": "Custo de IA neste mês", "en": "AI cost this month"},
    "analytics.team_online": {"pt-BR": "Equipe online agora", "en": "Team online now"},
    "analytics.empty_title": {"pt-BR": "Ainda não há números", "en": "No numbers yet"},
    "analytics.empty_body": {
        "pt-BR": "Assim que as primeiras conversas chegarem, você verá aqui o volume de mensagens, quantas a IA resolveu sozinha e como estão os leads.",
        "en": "Once the first conversations arrive you will see message volume, how many the AI solved on its own and how your leads are doing.",
    },
}

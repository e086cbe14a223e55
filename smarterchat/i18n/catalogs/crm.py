"""The CRM board."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "crm.title": {"pt-BR": "CRM", "en": "CRM"},
    "crm.subtitle": {
        "pt-BR": "Leads identificados nas conversas, por etapa do funil.",
        "en": "Leads found in conversations, by pipeline stage.",
    },
    "crm.empty_title": {"pt-BR": "Nenhum lead ainda", "en": "No leads yet"},
    "crm.empty_body": {
        "pt-BR": "A IA cria um lead quando um cliente demonstra interesse, com nome, contato e temperatura. Eles aparecem aqui, organizados por etapa.",
        "en": "The AI creates a lead when a customer shows interest, with name, contact and temperature. They appear here, organised by stage.",
    },
    "crm.stage_empty": {"pt-BR": "Nenhum lead nesta etapa", "en": "No leads in this stage"},
    "crm.more": {"pt-BR": "e mais {count}", "en": "and {count} more"},
}

"""The organisation's settings."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "settings.title": {"pt-BR": "Configurações", "en": "Settings"},
    "settings.subtitle": {"pt-BR": "Sua organização e sua equipe.", "en": "Your organisation and your team."},
    "settings.org_name": {"pt-BR": "Nome", "en": "Name"},
    "settings.org_slug": {"pt-BR": "Identificador", "en": "Identifier"},
    "settings.org_timezone": {"pt-BR": "Fuso horário", "en": "Time zone"},
    "settings.org_locale": {"pt-BR": "Idioma padrão", "en": "Default language"},
    "settings.org_created": {"pt-BR": "Criada em", "en": "Created on"},
    "settings.org_members": {"pt-BR": "Membros ativos", "en": "Active members"},
    "settings.users_card": {
        "pt-BR": "Quem acessa o painel e o que cada pessoa pode fazer.",
        "en": "Who can open the workspace and what each person may do.",
    },
    "settings.channels_card": {
        "pt-BR": "WhatsApp, Instagram e chat do site: conexões, webhooks e qual agente responde.",
        "en": "WhatsApp, Instagram and web chat: connections, webhooks and which agent answers.",
    },
    "settings.profile_card": {
        "pt-BR": "Seu nome, idioma, senha e verificação em duas etapas.",
        "en": "Your name, language, password and two-step verification.",
    },
}

"""The platform admin's pages (organisations)."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "orgs.title": {"pt-BR": "Organizações", "en": "Organisations"},
    "orgs.subtitle": {
        "pt-BR": "Todas as empresas da plataforma. Suspender bloqueia o acesso de toda a equipe.",
        "en": "Every company on the platform. Suspending blocks access for its whole team.",
    },
    "orgs.search_placeholder": {"pt-BR": "Buscar por nome ou identificador", "en": "Search by name or identifier"},
    "orgs.name": {"pt-BR": "Organização", "en": "Organisation"},
    "orgs.members": {"pt-BR": "Membros", "en": "Members"},
    "orgs.conversations": {"pt-BR": "Conversas", "en": "Conversations"},
    "orgs.created": {"pt-BR": "Criada em", "en": "Created"},
    "orgs.status": {"pt-BR": "Situação", "en": "Status"},
    "orgs.suspended": {"pt-BR": "Suspensa", "en": "Suspended"},
    "orgs.suspend": {"pt-BR": "Suspender", "en": "Suspend"},
    "orgs.reactivate": {"pt-BR": "Reativar", "en": "Reactivate"},
    "orgs.suspend_title": {"pt-BR": "Suspender {name}?", "en": "Suspend {name}?"},
    "orgs.suspend_body": {
        "pt-BR": "Ninguém da organização consegue entrar enquanto estiver suspensa. Os dados são mantidos.",
        "en": "Nobody in the organisation can sign in while it is suspended. Its data is kept.",
    },
    "orgs.reactivate_title": {"pt-BR": "Reativar {name}?", "en": "Reactivate {name}?"},
    "orgs.reactivate_body": {
        "pt-BR": "A equipe volta a poder entrar normalmente.",
        "en": "The team can sign in again as usual.",
    },
    "orgs.suspended_done": {"pt-BR": "Organização suspensa.", "en": "Organisation suspended."},
    "orgs.reactivated_done": {"pt-BR": "Organização reativada.", "en": "Organisation reactivated."},
    "orgs.page": {"pt-BR": "{start}–{end} de {total}", "en": "{start}–{end} of {total}"},
    "orgs.empty_title": {"pt-BR": "Nenhuma organização encontrada", "en": "No organisations found"},
    "orgs.empty_body": {
        "pt-BR": "Tente outra busca. Novas empresas aparecem aqui assim que se cadastram.",
        "en": "Try another search. New companies appear here as soon as they sign up.",
    },
}

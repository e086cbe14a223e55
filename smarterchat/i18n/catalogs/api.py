"""The public API: its keys, its refusals, outgoing webhooks and their settings page."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    # refusals of the public API
    "error.invalid_api_key": {"pt-BR": "Chave de API inválida, revogada ou expirada.", "en": "Invalid, revoked or expired API key."},
    "error.invalid_scopes": {"pt-BR": "Escolha ao menos um escopo: leitura, escrita ou administração.", "en": "Pick at least one scope: read, write or admin."},
    "error.invalid_key_name": {"pt-BR": "Dê à chave um nome de 2 a 80 caracteres.", "en": "Give the key a name of 2 to 80 characters."},
    "error.invalid_expiry": {"pt-BR": "A validade precisa ser uma data futura.", "en": "The expiry must be a date in the future."},
    "error.rate_limited": {"pt-BR": "Muitas chamadas com esta chave. Tente de novo em {retry_after} s.", "en": "Too many calls with this key. Try again in {retry_after} s."},
    "error.idempotency_key_reused": {"pt-BR": "Esta Idempotency-Key já foi usada com outro corpo.", "en": "This Idempotency-Key was already used with another body."},
    "error.idempotency_key_in_use": {"pt-BR": "Uma chamada com esta Idempotency-Key ainda está em andamento.", "en": "A request with this Idempotency-Key is still running."},
    "error.invalid_idempotency_key": {"pt-BR": "A Idempotency-Key deve ter de 1 a 255 caracteres.", "en": "The Idempotency-Key must have 1 to 255 characters."},
    "error.invalid_cursor": {"pt-BR": "O cursor starting_after não é um item desta lista.", "en": "The starting_after cursor is not an item of this list."},
    "error.route_not_found": {"pt-BR": "Este endereço não existe na API.", "en": "This address does not exist in the API."},
    "error.method_not_allowed": {"pt-BR": "Este método não é aceito neste endereço.", "en": "This method is not allowed at this address."},
    "error.invalid_webhook_url": {"pt-BR": "Informe um endereço https:// (ou http://) válido.", "en": "Enter a valid https:// (or http://) address."},
    "error.invalid_webhook_events": {"pt-BR": "Escolha ao menos um evento conhecido.", "en": "Pick at least one known event."},
    "error.webhook_address_refused": {"pt-BR": "Endereços privados, locais ou de loopback não são aceitos.", "en": "Private, local or loopback addresses are refused."},
    "error.invalid_time_range": {"pt-BR": "O início do período precisa vir antes do fim.", "en": "The start of the range must come before its end."},
    "error.conversation_resolved": {"pt-BR": "Esta conversa está resolvida: reabra-a antes.", "en": "This conversation is resolved: reopen it first."},
    "handoff_reason.requested": {"pt-BR": "uma integração pediu um atendente", "en": "an integration asked for a person"},
    # the API keys settings page
    "api_keys.title": {"pt-BR": "Chaves de API", "en": "API keys"},
    "api_keys.subtitle": {"pt-BR": "Chaves da organização para integrar ERPs, lojas e outros sistemas.", "en": "The organisation's keys for ERPs, shops and other systems."},
    "api_keys.name": {"pt-BR": "Nome", "en": "Name"},
    "api_keys.name_placeholder": {"pt-BR": "Ex.: ERP da loja", "en": "e.g. Shop ERP"},
    "api_keys.scopes": {"pt-BR": "Escopos", "en": "Scopes"},
    "api_keys.scope.read": {"pt-BR": "Leitura", "en": "Read"},
    "api_keys.scope.write": {"pt-BR": "Escrita", "en": "Write"},
    "api_keys.scope.admin": {"pt-BR": "Administração", "en": "Admin"},
    "api_keys.expires": {"pt-BR": "Validade (dias, vazio: sem validade)", "en": "Expires after (days, empty: never)"},
    "api_keys.create": {"pt-BR": "Criar chave", "en": "Create key"},
    "api_keys.created": {"pt-BR": "Copie a chave agora: ela não será mostrada de novo.", "en": "Copy the key now: it will not be shown again."},
    "api_keys.revoke": {"pt-BR": "Revogar", "en": "Revoke"},
    "api_keys.revoked": {"pt-BR": "Revogada", "en": "Revoked"},
    "api_keys.expired": {"pt-BR": "Expirada", "en": "Expired"},
    "api_keys.active": {"pt-BR": "Ativa", "en": "Active"},
    "api_keys.last_used": {"pt-BR": "Último uso", "en": "Last used"},
    "api_keys.never_used": {"pt-BR": "Nunca usada", "en": "Never used"},
    "api_keys.empty": {"pt-BR": "Nenhuma chave ainda. Crie uma para integrar outro sistema.", "en": "No keys yet. Create one to connect another system."},
    "api_keys.bad_days": {"pt-BR": "Informe a validade em dias, de 1 a 3650.", "en": "Enter the expiry in days, from 1 to 3650."},
}

"""The public web chat a customer sees."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "chat.placeholder": {"pt-BR": "Escreva sua mensagem…", "en": "Type your message…"},
    "chat.send": {"pt-BR": "Enviar", "en": "Send"},
    "chat.your_name": {"pt-BR": "Seu nome (opcional)", "en": "Your name (optional)"},
    "chat.your_name_help": {
        "pt-BR": "Assim sabemos como chamar você.",
        "en": "So we know what to call you.",
    },
    "chat.sending": {"pt-BR": "Enviando…", "en": "Sending…"},
    "chat.sent": {"pt-BR": "Enviada", "en": "Sent"},
    "chat.attachment": {"pt-BR": "Arquivo", "en": "File"},
    "chat.read": {"pt-BR": "Lida", "en": "Read"},
    "chat.failed": {"pt-BR": "Não enviada", "en": "Not sent"},
    "chat.retry": {"pt-BR": "Tentar de novo", "en": "Try again"},
    "chat.you": {"pt-BR": "Você", "en": "You"},
    "chat.online_hint": {"pt-BR": "Respondemos por aqui mesmo.", "en": "We reply right here."},
    "chat.unavailable_title": {"pt-BR": "Chat indisponível no momento", "en": "Chat unavailable right now"},
    "chat.unavailable_body": {
        "pt-BR": "Este atendimento está pausado. Tente de novo mais tarde ou procure a empresa por outro canal.",
        "en": "This chat is paused. Try again later or reach the company another way.",
    },
    "chat.not_found_title": {"pt-BR": "Chat não encontrado", "en": "Chat not found"},
    "chat.not_found_body": {
        "pt-BR": "O link pode estar incompleto ou o chat foi removido.",
        "en": "The link may be incomplete or the chat was removed.",
    },
    "chat.powered_by": {"pt-BR": "Atendimento por SmarterChat", "en": "Powered by SmarterChat"},
}

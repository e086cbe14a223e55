"""A person's own profile: name, language, password, two-factor authentication."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "profile.title": {"pt-BR": "Meu perfil", "en": "My profile"},
    "profile.subtitle": {"pt-BR": "Seus dados e a segurança da sua conta.", "en": "Your details and your account's security."},
    "profile.details": {"pt-BR": "Dados pessoais", "en": "Personal details"},
    "profile.name": {"pt-BR": "Nome", "en": "Name"},
    "profile.email": {"pt-BR": "E-mail", "en": "Email"},
    "profile.language": {"pt-BR": "Idioma do painel", "en": "Workspace language"},
    "profile.password": {"pt-BR": "Alterar senha", "en": "Change password"},
    "profile.current_password": {"pt-BR": "Senha atual", "en": "Current password"},
    "profile.new_password": {"pt-BR": "Nova senha", "en": "New password"},
    "profile.confirm_password": {"pt-BR": "Repita a nova senha", "en": "Repeat the new password"},
    "profile.password_mismatch": {"pt-BR": "As duas senhas novas não são iguais.", "en": "The two new passwords differ."},
    "profile.password_changed": {"pt-BR": "Senha alterada. As sessões nos outros aparelhos foram encerradas.", "en": "Password changed. The sessions on other devices were ended."},
    "profile.change_password": {"pt-BR": "Alterar senha", "en": "Change password"},
    "twofa.title": {"pt-BR": "Verificação em duas etapas", "en": "Two-step verification"},
    "twofa.explain": {
        "pt-BR": "Além da senha, peça um código do aplicativo autenticador do seu celular (Google Authenticator, Microsoft Authenticator, 1Password…) ao entrar.",
        "en": "Besides your password, ask for a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password…) when you sign in.",
    },
    "twofa.status_on": {"pt-BR": "Ativada", "en": "On"},
    "twofa.status_off": {"pt-BR": "Desativada", "en": "Off"},
    "twofa.codes_left": {
        "pt-BR": {"one": "{count} código de recuperação restante",
                  "other": "{count} códigos de recuperação restantes"},
        "en": {"one": "{count} recovery code left", "other": "{count} recovery codes left"},
    },
    "twofa.begin": {"pt-BR": "Ativar verificação em duas etapas", "en": "Turn on two-step verification"},
    "twofa.scan": {
        "pt-BR": "1. Escaneie o QR code com o aplicativo autenticador.",
        "en": "1. Scan the QR code with your authenticator app.",
    },
    "twofa.manual": {
        "pt-BR": "Não consegue escanear? Digite esta chave no aplicativo:",
        "en": "Cannot scan it? Type this key into the app:",
    },
    "twofa.enter_code": {
        "pt-BR": "2. Digite o código de 6 dígitos que o aplicativo mostra.",
        "en": "2. Enter the 6-digit code the app shows.",
    },
    "twofa.confirm": {"pt-BR": "Confirmar e ativar", "en": "Confirm and turn on"},
    "twofa.qr_alt": {"pt-BR": "QR code para o aplicativo autenticador", "en": "QR code for the authenticator app"},
    "twofa.codes_title": {"pt-BR": "Guarde seus códigos de recuperação", "en": "Save your recovery codes"},
    "twofa.codes_warning": {
        "pt-BR": "Estes códigos só aparecem agora. Guarde-os em lugar seguro: cada um permite entrar uma vez se você perder o celular.",
        "en": "These codes are shown only now. Keep them somewhere safe: each one lets you in once if you lose your phone.",
    },
    "twofa.codes_done": {"pt-BR": "Já guardei os códigos", "en": "I have saved the codes"},
    "twofa.enabled": {"pt-BR": "Verificação em duas etapas ativada.", "en": "Two-step verification is on."},
    "twofa.disable": {"pt-BR": "Desativar", "en": "Turn off"},
    "twofa.disable_title": {"pt-BR": "Desativar a verificação em duas etapas?", "en": "Turn off two-step verification?"},
    "twofa.disable_body": {
        "pt-BR": "Confirme com sua senha e um código do aplicativo (ou de recuperação).",
        "en": "Confirm with your password and a code from the app (or a recovery code).",
    },
    "twofa.disabled": {"pt-BR": "Verificação em duas etapas desativada.", "en": "Two-step verification is off."},
    "twofa.regenerate": {"pt-BR": "Gerar novos códigos de recuperação", "en": "New recovery codes"},
    "twofa.regenerate_title": {"pt-BR": "Gerar novos códigos de recuperação?", "en": "Generate new recovery codes?"},
    "twofa.regenerate_body": {
        "pt-BR": "Os códigos antigos deixam de valer. Confirme com um código do aplicativo autenticador.",
        "en": "The old codes stop working. Confirm with a code from your authenticator app.",
    },
    "twofa.regenerate_submit": {"pt-BR": "Gerar códigos", "en": "Generate codes"},
    "twofa.code": {"pt-BR": "Código do aplicativo", "en": "Code from the app"},
    "twofa.cancel_setup": {"pt-BR": "Cancelar configuração", "en": "Cancel set-up"},
}

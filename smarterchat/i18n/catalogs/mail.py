"""E-mails: each kind has a subject, a body (paragraphs split by blank lines) and, when it
carries a link, the button's label. ``{name}``, ``{organization}``, ``{hours}`` and the
like come from the e-mail's context."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "mail.greeting": {"pt-BR": "Olá, {name}!", "en": "Hello {name},"},
    "mail.greeting_anonymous": {"pt-BR": "Olá!", "en": "Hello,"},
    "mail.link_hint": {
        "pt-BR": "Se o botão não funcionar, copie e cole este endereço no navegador:",
        "en": "If the button does not work, copy and paste this address into your browser:",
    },
    "mail.footer": {
        "pt-BR": "Você recebeu este e-mail do SmarterChat. Se não esperava por ele, pode ignorá-lo.",
        "en": "You received this email from SmarterChat. If you did not expect it, you can ignore it.",
    },
    # ------------------------------------------------------------ sign-up
    "mail.verify_signup.subject": {"pt-BR": "Confirme seu e-mail no SmarterChat", "en": "Confirm your email on SmarterChat"},
    "mail.verify_signup.body": {
        "pt-BR": "Recebemos o cadastro da empresa {organization} com este e-mail.\n\nPara confirmar que o endereço é seu e ativar a conta, abra o link abaixo. Ele vale por {hours} h e só pode ser usado uma vez.",
        "en": "We received the sign-up of {organization} with this email address.\n\nTo confirm the address is yours and activate the account, open the link below. It works for {hours} h and only once.",
    },
    "mail.verify_signup.action": {"pt-BR": "Confirmar e-mail", "en": "Confirm email"},
    "mail.signup_existing.subject": {"pt-BR": "Você já tem uma conta no SmarterChat", "en": "You already have a SmarterChat account"},
    "mail.signup_existing.body": {
        "pt-BR": "Alguém tentou criar uma conta nova com este e-mail, mas ele já tem uma conta no SmarterChat.\n\nSe foi você, entre com sua senha ou peça uma nova pelo link abaixo. Se não foi, nada mudou na sua conta.",
        "en": "Someone tried to create a new account with this email, but it already has a SmarterChat account.\n\nIf it was you, sign in with your password or ask for a new one with the link below. If it was not, nothing changed in your account.",
    },
    "mail.signup_existing.action": {"pt-BR": "Esqueci minha senha", "en": "I forgot my password"},
    # ------------------------------------------------------------ invitations
    "mail.invitation.subject": {"pt-BR": "{inviter} convidou você para {organization} no SmarterChat", "en": "{inviter} invited you to {organization} on SmarterChat"},
    "mail.invitation.body": {
        "pt-BR": "{inviter} convidou você para entrar na equipe de {organization} no SmarterChat.\n\nAbra o link abaixo para aceitar. Ele vale por {hours} h.",
        "en": "{inviter} invited you to join the {organization} team on SmarterChat.\n\nOpen the link below to accept. It works for {hours} h.",
    },
    "mail.invitation.action": {"pt-BR": "Aceitar convite", "en": "Accept invitation"},
    # ------------------------------------------------------------ password reset
    "mail.password_reset.subject": {"pt-BR": "Redefina sua senha do SmarterChat", "en": "Reset your SmarterChat password"},
    "mail.password_reset.body": {
        "pt-BR": "Recebemos um pedido para redefinir a senha desta conta.\n\nAbra o link abaixo para escolher uma senha nova. Ele vale por {minutes} min e só pode ser usado uma vez. Ao trocar a senha, todas as sessões abertas são encerradas.\n\nSe você não pediu, ignore este e-mail: sua senha continua a mesma.",
        "en": "We received a request to reset the password of this account.\n\nOpen the link below to choose a new password. It works for {minutes} min and only once. Changing the password ends every open session.\n\nIf you did not ask for it, ignore this email: your password stays the same.",
    },
    "mail.password_reset.action": {"pt-BR": "Escolher senha nova", "en": "Choose a new password"},
    # ------------------------------------------------------------ notices to admins
    "mail.ai_budget.subject": {"pt-BR": "{organization}: o orçamento mensal de IA acabou", "en": "{organization}: the monthly AI budget is spent"},
    "mail.ai_budget.body": {
        "pt-BR": "O orçamento mensal de IA de {organization} (US$ {budget}) foi gasto. Os agentes de IA pararam de responder e as conversas novas vão para a equipe até o mês virar ou o orçamento aumentar.",
        "en": "The monthly AI budget of {organization} (US$ {budget}) is spent. The AI agents stopped answering and new conversations go to the team until the month turns or the budget is raised.",
    },
    "mail.ai_budget.action": {"pt-BR": "Abrir o painel", "en": "Open the dashboard"},
    "mail.webhook_disabled.subject": {"pt-BR": "{organization}: um webhook foi desativado", "en": "{organization}: a webhook was disabled"},
    "mail.webhook_disabled.body": {
        "pt-BR": "O endpoint {url} falhou por tempo demais e foi desativado; os eventos deixaram de ser enviados para ele. Confira o servidor e reative o endpoint nas configurações da API.",
        "en": "The endpoint {url} failed for too long and was disabled; events are no longer sent to it. Check the server and turn the endpoint back on in the API settings.",
    },
    "mail.webhook_disabled.action": {"pt-BR": "Abrir as configurações", "en": "Open the settings"},
    "mail.event_set_aside.subject": {"pt-BR": "{organization}: uma mensagem recebida não pôde ser processada", "en": "{organization}: a received message could not be processed"},
    "mail.event_set_aside.body": {
        "pt-BR": "Um evento recebido do canal {channel} falhou {attempts} vezes e foi separado para não travar os outros. Nada foi perdido: ele continua guardado para análise.",
        "en": "An event received from the channel {channel} failed {attempts} times and was set aside so it does not hold up the others. Nothing was lost: it is kept for a look.",
    },
    "mail.event_set_aside.action": {"pt-BR": "Abrir os canais", "en": "Open the channels"},
}

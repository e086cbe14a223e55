"""Proving an address: confirming a sign-up, invitations, "forgot my password", and the
refusals of names, addresses and passwords."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    # ------------------------------------------------------------ refusals
    "error.invalid_characters": {
        "pt-BR": "Use só letras, números, espaços e pontuação comuns: o texto tem caracteres invisíveis ou de controle.",
        "en": "Use only ordinary letters, digits, spaces and punctuation: the text has invisible or control characters.",
    },
    "error.password_common": {
        "pt-BR": "Esta senha está entre as mais usadas e seria adivinhada logo. Escolha outra, por exemplo três ou quatro palavras sem relação.",
        "en": "This password is among the most used ones and would be guessed quickly. Pick another, for example three or four unrelated words.",
    },
    "error.password_guessable": {
        "pt-BR": "Esta senha é fácil de adivinhar (sequências, datas ou repetições). Use uma frase mais longa ou palavras sem relação.",
        "en": "This password is easy to guess (sequences, dates or repetitions). Use a longer phrase or unrelated words.",
    },
    "error.password_personal": {
        "pt-BR": "A senha usa seu nome ou e-mail, que são os primeiros palpites de quem tenta. Escolha outra.",
        "en": "The password uses your name or email, the first guesses anyone would try. Pick another.",
    },
    "error.link_invalid": {
        "pt-BR": "Este link não vale mais: já foi usado ou não existe. Peça um novo.",
        "en": "This link no longer works: it was already used or does not exist. Ask for a new one.",
    },
    "error.link_expired": {
        "pt-BR": "Este link expirou. Peça um novo.",
        "en": "This link has expired. Ask for a new one.",
    },
    "error.invitation_other_account": {
        "pt-BR": "Este convite é para {email}. Saia e entre com essa conta para aceitar.",
        "en": "This invitation is for {email}. Sign out and sign in with that account to accept it.",
    },
    "error.invitation_sign_in": {
        "pt-BR": "Este e-mail já tem uma conta: entre com ela para aceitar o convite.",
        "en": "This email already has an account: sign in with it to accept the invitation.",
    },
    "error.session_ended": {
        "pt-BR": "Sua sessão foi encerrada (senha alterada ou saída em todos os aparelhos). Entre de novo.",
        "en": "Your session was ended (password changed or signed out everywhere). Sign in again.",
    },
    # ------------------------------------------------------------ sign-up, confirmation
    "signup.check_inbox_title": {"pt-BR": "Confira seu e-mail", "en": "Check your email"},
    "signup.check_inbox": {
        "pt-BR": "Enviamos um link para {email}. Abra-o para confirmar o endereço e ativar a conta; ele vale por 24 h.",
        "en": "We sent a link to {email}. Open it to confirm the address and activate the account; it works for 24 h.",
    },
    "verify.title": {"pt-BR": "Confirmando seu e-mail", "en": "Confirming your email"},
    "verify.working": {"pt-BR": "Um instante…", "en": "One moment…"},
    "verify.failed_title": {"pt-BR": "Não foi possível confirmar", "en": "Could not confirm"},
    "verify.signup_again": {"pt-BR": "Cadastrar de novo", "en": "Sign up again"},
    # ------------------------------------------------------------ forgot / reset
    "forgot.link": {"pt-BR": "Esqueci minha senha", "en": "I forgot my password"},
    "forgot.title": {"pt-BR": "Esqueci minha senha", "en": "Forgot my password"},
    "forgot.subtitle": {
        "pt-BR": "Informe o e-mail da sua conta e enviaremos um link para escolher uma senha nova.",
        "en": "Enter your account's email and we will send a link to choose a new password.",
    },
    "forgot.submit": {"pt-BR": "Enviar link", "en": "Send link"},
    "forgot.sent": {
        "pt-BR": "Se houver uma conta com {email}, enviamos um link para ela. Confira a caixa de entrada (e o spam); o link vale por 30 min.",
        "en": "If there is an account with {email}, we sent it a link. Check the inbox (and spam); the link works for 30 min.",
    },
    "forgot.back": {"pt-BR": "Voltar para entrar", "en": "Back to sign in"},
    "reset.title": {"pt-BR": "Escolha uma senha nova", "en": "Choose a new password"},
    "reset.password": {"pt-BR": "Senha nova", "en": "New password"},
    "reset.confirm": {"pt-BR": "Repita a senha nova", "en": "Repeat the new password"},
    "reset.submit": {"pt-BR": "Salvar senha", "en": "Save password"},
    "reset.done": {
        "pt-BR": "Senha alterada. Todas as sessões abertas foram encerradas: entre com a senha nova.",
        "en": "Password changed. Every open session was ended: sign in with the new password.",
    },
    # ------------------------------------------------------------ invitations
    "invite.title": {"pt-BR": "Convite para {organization}", "en": "Invitation to {organization}"},
    "invite.body": {
        "pt-BR": "{inviter} convidou {email} para a equipe de {organization}.",
        "en": "{inviter} invited {email} to the {organization} team.",
    },
    "invite.accept": {"pt-BR": "Aceitar convite", "en": "Accept invitation"},
    "invite.sign_in_first": {
        "pt-BR": "Este e-mail já tem uma conta. Entre com ela para aceitar.",
        "en": "This email already has an account. Sign in with it to accept.",
    },
    "invite.create_account": {
        "pt-BR": "Crie sua senha para entrar na equipe.",
        "en": "Create your password to join the team.",
    },
    "invite.sign_in": {"pt-BR": "Entrar para aceitar", "en": "Sign in to accept"},
    "users.invite": {"pt-BR": "Convidar pessoa", "en": "Invite a person"},
    "users.invited": {
        "pt-BR": "Convite enviado para {email}. A pessoa entra na equipe quando aceitar; o link vale por 24 h.",
        "en": "Invitation sent to {email}. The person joins the team on accepting; the link works for 24 h.",
    },
    "users.pending_invitations": {"pt-BR": "Convites pendentes", "en": "Pending invitations"},
    "users.end_sessions": {"pt-BR": "Encerrar sessões", "en": "End sessions"},
    "users.sessions_ended": {
        "pt-BR": "As sessões de {name} nesta organização foram encerradas.",
        "en": "{name}'s sessions in this organisation were ended.",
    },
}

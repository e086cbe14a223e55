"""Signing in, signing up, and the refusal page."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "login.title": {"pt-BR": "Entrar", "en": "Sign in"},
    "login.subtitle": {"pt-BR": "Acesse o painel da sua empresa.", "en": "Open your company's workspace."},
    "login.email": {"pt-BR": "E-mail", "en": "Email"},
    "login.password": {"pt-BR": "Senha", "en": "Password"},
    "login.submit": {"pt-BR": "Entrar", "en": "Sign in"},
    "login.no_account": {"pt-BR": "Ainda não tem conta?", "en": "No account yet?"},
    "login.create_account": {"pt-BR": "Cadastre sua empresa", "en": "Sign up your company"},
    "login.missing_fields": {
        "pt-BR": "Informe seu e-mail e sua senha.",
        "en": "Enter your email and your password.",
    },
    "login.code_title": {"pt-BR": "Verificação em duas etapas", "en": "Two-step verification"},
    "login.code_help": {
        "pt-BR": "Digite o código de 6 dígitos do seu aplicativo autenticador, ou um dos seus códigos de recuperação.",
        "en": "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
    },
    "login.code": {"pt-BR": "Código", "en": "Code"},
    "login.code_submit": {"pt-BR": "Verificar", "en": "Verify"},
    "login.code_missing": {"pt-BR": "Digite o código.", "en": "Enter the code."},
    "login.use_other_account": {"pt-BR": "Entrar com outra conta", "en": "Use another account"},
    "login.demo_title": {"pt-BR": "Ambiente de demonstração", "en": "Demo environment"},
    "login.demo_hint": {
        "pt-BR": "Entre como admin@demo.smarterchat.app (ou gerente@, consultora@, super@) com a senha demo-smarterchat.",
        "en": "Sign in as admin@demo.smarterchat.app (or gerente@, consultora@, super@) with the password demo-smarterchat.",
    },
    "login.signed_out": {"pt-BR": "Você saiu da sua conta.", "en": "You have signed out."},
    # ------------------------------------------------------------ signup
    "signup.title": {"pt-BR": "Cadastre sua empresa", "en": "Sign up your company"},
    "signup.subtitle": {
        "pt-BR": "Crie a organização e a sua conta de administrador(a). Leva um minuto.",
        "en": "Create the organisation and your admin account. It takes a minute.",
    },
    "signup.organization_name": {"pt-BR": "Nome da empresa", "en": "Company name"},
    "signup.name": {"pt-BR": "Seu nome", "en": "Your name"},
    "signup.email": {"pt-BR": "Seu e-mail de trabalho", "en": "Your work email"},
    "signup.password": {"pt-BR": "Senha", "en": "Password"},
    "signup.password_help": {
        "pt-BR": "Pelo menos 10 caracteres, misturando letras e números ou símbolos.",
        "en": "At least 10 characters, mixing letters with digits or symbols.",
    },
    "signup.submit": {"pt-BR": "Criar conta", "en": "Create account"},
    "signup.have_account": {"pt-BR": "Já tem conta?", "en": "Already have an account?"},
    "signup.sign_in": {"pt-BR": "Entrar", "en": "Sign in"},
    # ------------------------------------------------------------ refusal
    "forbidden.title": {"pt-BR": "Você não tem acesso a esta página", "en": "You do not have access to this page"},
    "forbidden.body": {
        "pt-BR": "Seu papel nesta organização não permite abrir esta área. Se precisar, peça acesso a um(a) administrador(a).",
        "en": "Your role in this organisation does not allow this area. If you need it, ask an admin for access.",
    },
    "forbidden.home": {"pt-BR": "Ir para o início", "en": "Go to home"},
}

"""Every piece of text a person reads in the app, in Brazilian Portuguese and English.

One table: key -> {"pt-BR": ..., "en": ...}. Pages read it through
``smarterchat.components.i18n.t`` (switched in the browser, no round trip); state
handlers use :func:`translate` and :func:`error_message` for text built on the server
(errors from the service layer, with their parameters).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

LOCALES = ("pt-BR", "en")
DEFAULT_LOCALE = "pt-BR"
LOCALE_NAMES = {"pt-BR": "Português (Brasil)", "en": "English"}

TABLE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ brand and common
    "app.name": {"pt-BR": "SmarterChat", "en": "SmarterChat"},
    "app.tagline": {
        "pt-BR": "Atendimento com IA e equipe humana no WhatsApp, Instagram e chat do site.",
        "en": "AI and human customer service on WhatsApp, Instagram and web chat.",
    },
    "common.save": {"pt-BR": "Salvar", "en": "Save"},
    "common.cancel": {"pt-BR": "Cancelar", "en": "Cancel"},
    "common.close": {"pt-BR": "Fechar", "en": "Close"},
    "common.confirm": {"pt-BR": "Confirmar", "en": "Confirm"},
    "common.back": {"pt-BR": "Voltar", "en": "Back"},
    "common.yes": {"pt-BR": "Sim", "en": "Yes"},
    "common.no": {"pt-BR": "Não", "en": "No"},
    "common.loading": {"pt-BR": "Carregando…", "en": "Loading…"},
    "common.saved": {"pt-BR": "Alterações salvas.", "en": "Changes saved."},
    "common.active": {"pt-BR": "Ativo", "en": "Active"},
    "common.inactive": {"pt-BR": "Inativo", "en": "Inactive"},
    "common.on": {"pt-BR": "Ativada", "en": "On"},
    "common.off": {"pt-BR": "Desativada", "en": "Off"},
    "common.previous": {"pt-BR": "Anterior", "en": "Previous"},
    "common.next": {"pt-BR": "Próxima", "en": "Next"},
    "common.search": {"pt-BR": "Buscar", "en": "Search"},
    "common.never": {"pt-BR": "Nunca", "en": "Never"},
    "common.copy": {"pt-BR": "Copiar", "en": "Copy"},
    "common.copied": {"pt-BR": "Copiado.", "en": "Copied."},
    "common.refresh": {"pt-BR": "Atualizar", "en": "Refresh"},
    "common.language": {"pt-BR": "Idioma", "en": "Language"},
    "common.unnamed": {"pt-BR": "Sem nome", "en": "No name"},
    # ------------------------------------------------------------ roles and statuses
    "role.admin": {"pt-BR": "Administrador(a)", "en": "Admin"},
    "role.manager": {"pt-BR": "Gerente", "en": "Manager"},
    "role.consultant": {"pt-BR": "Consultor(a)", "en": "Consultant"},
    "role.superadmin": {"pt-BR": "Super admin", "en": "Super admin"},
    "status.bot": {"pt-BR": "Com a IA", "en": "With the AI"},
    "status.waiting_human": {"pt-BR": "Aguardando humano", "en": "Waiting for a human"},
    "status.human": {"pt-BR": "Com consultor(a)", "en": "With a consultant"},
    "status.resolved": {"pt-BR": "Resolvida", "en": "Resolved"},
    "stage.new": {"pt-BR": "Novo", "en": "New"},
    "stage.contacted": {"pt-BR": "Contatado", "en": "Contacted"},
    "stage.qualified": {"pt-BR": "Qualificado", "en": "Qualified"},
    "stage.proposal": {"pt-BR": "Proposta", "en": "Proposal"},
    "stage.won": {"pt-BR": "Ganho", "en": "Won"},
    "stage.lost": {"pt-BR": "Perdido", "en": "Lost"},
    "temperature.hot": {"pt-BR": "Quente", "en": "Hot"},
    "temperature.warm": {"pt-BR": "Morno", "en": "Warm"},
    "temperature.cold": {"pt-BR": "Frio", "en": "Cold"},
    "channel.whatsapp": {"pt-BR": "WhatsApp", "en": "WhatsApp"},
    "channel.instagram": {"pt-BR": "Instagram", "en": "Instagram"},
    "channel.webchat": {"pt-BR": "Chat do site", "en": "Web chat"},
    "availability.online": {"pt-BR": "Online", "en": "Online"},
    "availability.away": {"pt-BR": "Ausente", "en": "Away"},
    "availability.offline": {"pt-BR": "Offline", "en": "Offline"},
    # ------------------------------------------------------------ navigation and shell
    "nav.home": {"pt-BR": "Início", "en": "Home"},
    "nav.inbox": {"pt-BR": "Caixa de entrada", "en": "Inbox"},
    "nav.crm": {"pt-BR": "CRM", "en": "CRM"},
    "nav.agents": {"pt-BR": "Agentes de IA", "en": "AI agents"},
    "nav.analytics": {"pt-BR": "Relatórios", "en": "Analytics"},
    "nav.settings": {"pt-BR": "Configurações", "en": "Settings"},
    "nav.organization": {"pt-BR": "Organização", "en": "Organisation"},
    "nav.users": {"pt-BR": "Usuários", "en": "Users"},
    "nav.channels": {"pt-BR": "Canais", "en": "Channels"},
    "nav.profile": {"pt-BR": "Meu perfil", "en": "My profile"},
    "nav.organizations": {"pt-BR": "Organizações", "en": "Organisations"},
    "nav.platform": {"pt-BR": "Plataforma", "en": "Platform"},
    "nav.menu": {"pt-BR": "Abrir menu", "en": "Open menu"},
    "nav.logout": {"pt-BR": "Sair", "en": "Log out"},
    "nav.platform_admin": {"pt-BR": "Administração da plataforma", "en": "Platform administration"},
    "shell.restoring": {"pt-BR": "Abrindo sua sessão…", "en": "Opening your session…"},
    # ------------------------------------------------------------ login
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
    # ------------------------------------------------------------ dashboard
    "home.greeting": {"pt-BR": "Olá, {name}!", "en": "Hello, {name}!"},
    "home.subtitle": {
        "pt-BR": "Um resumo do atendimento de {org} agora.",
        "en": "A summary of {org}'s customer service right now.",
    },
    "home.open_conversations": {"pt-BR": "Conversas abertas", "en": "Open conversations"},
    "home.waiting_human": {"pt-BR": "Aguardando humano", "en": "Waiting for a human"},
    "home.leads": {"pt-BR": "Leads", "en": "Leads"},
    "home.channels": {"pt-BR": "Canais ativos", "en": "Active channels"},
    "home.my_open": {"pt-BR": "Atribuídas a você", "en": "Assigned to you"},
    "home.agents": {"pt-BR": "Agentes de IA", "en": "AI agents"},
    "home.next_steps": {"pt-BR": "Por onde começar", "en": "Where to start"},
    "home.step_inbox": {
        "pt-BR": "Acompanhe as conversas que a IA está atendendo e assuma quando precisar.",
        "en": "Follow the conversations the AI is handling and take over when needed.",
    },
    "home.step_agents": {
        "pt-BR": "Veja como seus agentes de IA se apresentam e em quais canais respondem.",
        "en": "See how your AI agents introduce themselves and which channels they answer.",
    },
    "home.step_users": {
        "pt-BR": "Convide sua equipe: gerentes e consultores entram com o próprio e-mail.",
        "en": "Invite your team: managers and consultants sign in with their own email.",
    },
    "home.open": {"pt-BR": "Abrir", "en": "Open"},
    # ------------------------------------------------------------ inbox
    "inbox.title": {"pt-BR": "Caixa de entrada", "en": "Inbox"},
    "inbox.subtitle": {
        "pt-BR": "Conversas de todos os canais, das mais recentes para as mais antigas.",
        "en": "Conversations from every channel, newest first.",
    },
    "inbox.filter_all": {"pt-BR": "Todas", "en": "All"},
    "inbox.filter_open": {"pt-BR": "Abertas", "en": "Open"},
    "inbox.filter_waiting": {"pt-BR": "Aguardando", "en": "Waiting"},
    "inbox.filter_resolved": {"pt-BR": "Resolvidas", "en": "Resolved"},
    "inbox.empty_title": {"pt-BR": "Nenhuma conversa por aqui", "en": "No conversations here"},
    "inbox.empty_body": {
        "pt-BR": "Quando um cliente escrever no WhatsApp, no Instagram ou no chat do site, a conversa aparece aqui, com quem está atendendo e há quanto tempo espera.",
        "en": "When a customer writes on WhatsApp, Instagram or your web chat, the conversation shows up here, with who is handling it and how long it has waited.",
    },
    "inbox.unassigned": {"pt-BR": "Sem responsável", "en": "Unassigned"},
    "inbox.unread": {"pt-BR": "{count} não lidas", "en": "{count} unread"},
    "inbox.no_messages": {"pt-BR": "Sem mensagens ainda", "en": "No messages yet"},
    # ------------------------------------------------------------ crm
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
    # ------------------------------------------------------------ agents
    "agents.title": {"pt-BR": "Agentes de IA", "en": "AI agents"},
    "agents.subtitle": {
        "pt-BR": "Quem responde seus clientes e em quais canais.",
        "en": "Who answers your customers, and on which channels.",
    },
    "agents.empty_title": {"pt-BR": "Nenhum agente configurado", "en": "No agents set up"},
    "agents.empty_body": {
        "pt-BR": "Um agente de IA tem persona, tom de voz, informações do negócio e regras. Cada canal (WhatsApp, Instagram, chat do site) é atendido por um agente.",
        "en": "An AI agent has a persona, a tone of voice, business facts and rules. Each channel (WhatsApp, Instagram, web chat) is answered by one agent.",
    },
    "agents.greeting": {"pt-BR": "Saudação", "en": "Greeting"},
    "agents.tone": {"pt-BR": "Tom de voz", "en": "Tone"},
    "agents.channels": {"pt-BR": "Canais", "en": "Channels"},
    "agents.no_channels": {
        "pt-BR": "Ainda não atende nenhum canal.",
        "en": "Not answering any channel yet.",
    },
    "agents.rules": {"pt-BR": "{count} regras", "en": "{count} rules"},
    "agents.channels_without_agent": {
        "pt-BR": "Canais sem agente",
        "en": "Channels without an agent",
    },
    # ------------------------------------------------------------ analytics
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
    # ------------------------------------------------------------ settings
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
    # ------------------------------------------------------------ users
    "users.title": {"pt-BR": "Usuários", "en": "Users"},
    "users.subtitle": {
        "pt-BR": "Pessoas da sua organização e o papel de cada uma.",
        "en": "People in your organisation and the role of each.",
    },
    "users.read_only": {
        "pt-BR": "Você pode ver a equipe; apenas administradores podem fazer alterações.",
        "en": "You can see the team; only admins can make changes.",
    },
    "users.add": {"pt-BR": "Adicionar pessoa", "en": "Add person"},
    "users.name": {"pt-BR": "Nome", "en": "Name"},
    "users.email": {"pt-BR": "E-mail", "en": "Email"},
    "users.role": {"pt-BR": "Papel", "en": "Role"},
    "users.status": {"pt-BR": "Situação", "en": "Status"},
    "users.two_factor": {"pt-BR": "2FA", "en": "2FA"},
    "users.last_login": {"pt-BR": "Último acesso", "en": "Last sign-in"},
    "users.actions": {"pt-BR": "Ações", "en": "Actions"},
    "users.you": {"pt-BR": "você", "en": "you"},
    "users.password_optional": {"pt-BR": "Senha (opcional)", "en": "Password (optional)"},
    "users.password_optional_help": {
        "pt-BR": "Deixe em branco para gerarmos uma senha temporária, exibida uma única vez.",
        "en": "Leave it empty and we generate a temporary password, shown only once.",
    },
    "users.create_title": {"pt-BR": "Adicionar pessoa à equipe", "en": "Add a person to the team"},
    "users.create_submit": {"pt-BR": "Adicionar", "en": "Add"},
    "users.created": {"pt-BR": "{name} foi adicionado(a) à equipe.", "en": "{name} was added to the team."},
    "users.temp_password_title": {"pt-BR": "Senha temporária", "en": "Temporary password"},
    "users.temp_password_body": {
        "pt-BR": "Envie esta senha para {email} por um canal seguro. Ela não será exibida de novo.",
        "en": "Send this password to {email} through a safe channel. It will not be shown again.",
    },
    "users.change_role": {"pt-BR": "Alterar papel", "en": "Change role"},
    "users.change_role_title": {"pt-BR": "Alterar papel de {name}", "en": "Change {name}'s role"},
    "users.role_changed": {"pt-BR": "Papel atualizado.", "en": "Role updated."},
    "users.deactivate": {"pt-BR": "Desativar", "en": "Deactivate"},
    "users.reactivate": {"pt-BR": "Reativar", "en": "Reactivate"},
    "users.deactivate_title": {"pt-BR": "Desativar {name}?", "en": "Deactivate {name}?"},
    "users.deactivate_body": {
        "pt-BR": "A pessoa sai de todas as sessões agora e não consegue mais entrar nesta organização. Você pode reativá-la depois.",
        "en": "They are signed out of every session now and can no longer enter this organisation. You can reactivate them later.",
    },
    "users.reactivate_title": {"pt-BR": "Reativar {name}?", "en": "Reactivate {name}?"},
    "users.reactivate_body": {
        "pt-BR": "A pessoa volta a poder entrar com o mesmo e-mail e senha.",
        "en": "They can sign in again with the same email and password.",
    },
    "users.deactivated": {"pt-BR": "Acesso desativado.", "en": "Access deactivated."},
    "users.reactivated": {"pt-BR": "Acesso reativado.", "en": "Access reactivated."},
    "users.empty_title": {"pt-BR": "Só você por enquanto", "en": "Just you for now"},
    "users.empty_body": {
        "pt-BR": "Adicione gerentes e consultores para dividir o atendimento.",
        "en": "Add managers and consultants to share the work.",
    },
    "role.admin_help": {"pt-BR": "Tudo, inclusive equipe e canais.", "en": "Everything, team and channels included."},
    "role.manager_help": {"pt-BR": "Atende, distribui conversas e vê relatórios.", "en": "Answers, assigns conversations, sees analytics."},
    "role.consultant_help": {"pt-BR": "Atende as conversas e o CRM.", "en": "Answers conversations and works the CRM."},
    # ------------------------------------------------------------ channels (settings)
    "channels.title": {"pt-BR": "Canais", "en": "Channels"},
    "channels.subtitle": {
        "pt-BR": "Onde seus clientes falam com você: WhatsApp, Instagram e o chat do seu site.",
        "en": "Where your customers reach you: WhatsApp, Instagram and your website's chat.",
    },
    "channels.read_only": {
        "pt-BR": "Você pode ver os canais; apenas administradores podem alterá-los.",
        "en": "You can see the channels; only admins can change them.",
    },
    "channels.add": {"pt-BR": "Adicionar canal", "en": "Add channel"},
    "channels.add_title": {"pt-BR": "Adicionar canal", "en": "Add a channel"},
    "channels.add_submit": {"pt-BR": "Criar canal", "en": "Create channel"},
    "channels.kind": {"pt-BR": "Tipo de canal", "en": "Channel type"},
    "channels.kind_whatsapp_help": {
        "pt-BR": "Número do WhatsApp Business pela API oficial da Meta (Cloud API).",
        "en": "A WhatsApp Business number through Meta's official Cloud API.",
    },
    "channels.kind_instagram_help": {
        "pt-BR": "Mensagens diretas de uma conta profissional do Instagram.",
        "en": "Direct messages to an Instagram professional account.",
    },
    "channels.kind_webchat_help": {
        "pt-BR": "Uma janela de chat para o seu site, sem conta na Meta.",
        "en": "A chat window for your website, no Meta account needed.",
    },
    "channels.name": {"pt-BR": "Nome do canal", "en": "Channel name"},
    "channels.name_help": {
        "pt-BR": "Só para a sua equipe, por exemplo \u201cWhatsApp Vendas\u201d.",
        "en": "For your team only, for example \u201cSales WhatsApp\u201d.",
    },
    "channels.phone_number_id": {"pt-BR": "ID do número de telefone", "en": "Phone number ID"},
    "channels.phone_number_id_help": {
        "pt-BR": "No painel da Meta: WhatsApp > Configuração da API. Só números.",
        "en": "In Meta's dashboard: WhatsApp > API Setup. Digits only.",
    },
    "channels.waba_id": {"pt-BR": "ID da conta do WhatsApp Business", "en": "WhatsApp Business Account ID"},
    "channels.waba_id_help": {
        "pt-BR": "Necessário para sincronizar os modelos de mensagem (templates).",
        "en": "Needed to sync your message templates.",
    },
    "channels.instagram_id": {"pt-BR": "ID da conta do Instagram", "en": "Instagram account ID"},
    "channels.instagram_id_help": {
        "pt-BR": "O ID numérico da conta profissional, no painel da Meta.",
        "en": "The professional account's numeric ID, from Meta's dashboard.",
    },
    "channels.access_token": {"pt-BR": "Token de acesso", "en": "Access token"},
    "channels.app_secret": {"pt-BR": "Chave secreta do app", "en": "App secret"},
    "channels.secrets_help": {
        "pt-BR": "Guardados criptografados. Depois de salvos, nunca são exibidos de novo.",
        "en": "Stored encrypted. Once saved they are never shown again.",
    },
    "channels.agent": {"pt-BR": "Agente de IA que responde", "en": "AI agent answering"},
    "channels.no_agent": {"pt-BR": "Nenhum (só a equipe responde)", "en": "None (only the team answers)"},
    "channels.agent_none_short": {"pt-BR": "Sem agente de IA", "en": "No AI agent"},
    "channels.created": {"pt-BR": "Canal criado.", "en": "Channel created."},
    "channels.invalid_name": {
        "pt-BR": "Informe um nome de canal com 2 a 80 caracteres.",
        "en": "Enter a channel name of 2 to 80 characters.",
    },
    "channels.empty_title": {"pt-BR": "Nenhum canal ainda", "en": "No channels yet"},
    "channels.empty_body": {
        "pt-BR": "Conecte um número de WhatsApp, uma conta do Instagram ou crie um chat para o seu site. As conversas chegam na caixa de entrada.",
        "en": "Connect a WhatsApp number, an Instagram account or create a chat for your website. Conversations arrive in the inbox.",
    },
    "channels.open": {"pt-BR": "Abrir {name}", "en": "Open {name}"},
    "channels.failed_title": {"pt-BR": "Eventos com falha", "en": "Failed events"},
    "channels.failed_help": {
        "pt-BR": "Mensagens recebidas da Meta que não puderam ser processadas. Elas ficam guardadas com o erro para análise e não são tentadas de novo.",
        "en": "Messages received from Meta that could not be processed. They are kept with their error for review and are not retried.",
    },
    "channels.failed_none": {"pt-BR": "Nenhum evento com falha. Tudo em ordem.", "en": "No failed events. All good."},
    "channels.failed_attempts": {"pt-BR": "{count} tentativas", "en": "{count} attempts"},
    "channels.unknown_channel": {"pt-BR": "Canal removido", "en": "Removed channel"},
    "channels.no_error_text": {"pt-BR": "(sem mensagem de erro)", "en": "(no error message)"},
    # ------------------------------------------------------------ one channel
    "channel.back": {"pt-BR": "Todos os canais", "en": "All channels"},
    "channel.created_next": {
        "pt-BR": "Canal criado. Siga os passos abaixo para começar a receber mensagens.",
        "en": "Channel created. Follow the steps below to start receiving messages.",
    },
    "channel.status_title": {"pt-BR": "Canal ativo", "en": "Channel active"},
    "channel.status_on_help": {
        "pt-BR": "Recebendo mensagens e respondendo.",
        "en": "Receiving messages and answering.",
    },
    "channel.status_off_help": {
        "pt-BR": "Desativado: mensagens novas são ignoradas e nada é enviado.",
        "en": "Off: new messages are ignored and nothing is sent.",
    },
    "channel.enabled": {"pt-BR": "Canal ativado.", "en": "Channel turned on."},
    "channel.disabled": {"pt-BR": "Canal desativado.", "en": "Channel turned off."},
    "channel.settings": {"pt-BR": "Configurações", "en": "Settings"},
    "channel.credentials": {"pt-BR": "Credenciais da Meta", "en": "Meta credentials"},
    "channel.replace_help": {
        "pt-BR": "Deixe em branco para manter o valor atual. Preencha só para substituir.",
        "en": "Leave empty to keep the current value. Fill in only to replace it.",
    },
    "channel.current_value": {"pt-BR": "Atual: {hint}", "en": "Current: {hint}"},
    "channel.not_set": {"pt-BR": "não definido", "en": "not set"},
    "channel.new_access_token": {"pt-BR": "Novo token de acesso", "en": "New access token"},
    "channel.new_app_secret": {"pt-BR": "Nova chave secreta do app", "en": "New app secret"},
    "channel.nothing_changed": {"pt-BR": "Nada foi alterado.", "en": "Nothing changed."},
    "channel.identifier": {"pt-BR": "ID na Meta", "en": "ID at Meta"},
    "channel.webhook_title": {"pt-BR": "Webhook", "en": "Webhook"},
    "channel.webhook_help": {
        "pt-BR": "No painel de desenvolvedores da Meta, abra o seu app > {product} > Configuração > Webhooks, cole a URL de retorno e o token de verificação abaixo e clique em \u201cVerificar e salvar\u201d. Depois assine o campo \u201cmessages\u201d.",
        "en": "In Meta's developer dashboard, open your app > {product} > Configuration > Webhooks, paste the callback URL and verify token below and click \u201cVerify and save\u201d. Then subscribe to the \u201cmessages\u201d field.",
    },
    "channel.webhook_url": {"pt-BR": "URL de retorno (callback)", "en": "Callback URL"},
    "channel.verify_token": {"pt-BR": "Token de verificação", "en": "Verify token"},
    "channel.test_title": {"pt-BR": "Testar conexão", "en": "Test connection"},
    "channel.test_help": {
        "pt-BR": "Confere com a Meta se o ID e o token de acesso funcionam.",
        "en": "Checks with Meta that the ID and access token work.",
    },
    "channel.test_button": {"pt-BR": "Testar conexão", "en": "Test connection"},
    "channel.testing": {"pt-BR": "Falando com a Meta…", "en": "Talking to Meta…"},
    "channel.test_ok": {"pt-BR": "Conexão funcionando: {detail}", "en": "Connection works: {detail}"},
    "channel.test_failed": {
        "pt-BR": "A conexão com a Meta falhou. Confira o ID e o token de acesso; o motivo está abaixo.",
        "en": "The connection to Meta failed. Check the ID and the access token; the reason is below.",
    },
    "channel.templates_title": {"pt-BR": "Modelos de mensagem", "en": "Message templates"},
    "channel.templates_help": {
        "pt-BR": "Fora da janela de 24 horas, o WhatsApp só permite mensagens a partir de modelos aprovados pela Meta.",
        "en": "Outside the 24-hour window, WhatsApp only allows messages from templates Meta has approved.",
    },
    "channel.templates_sync": {"pt-BR": "Sincronizar modelos", "en": "Sync templates"},
    "channel.templates_syncing": {"pt-BR": "Buscando modelos na Meta…", "en": "Fetching templates from Meta…"},
    "channel.templates_synced": {"pt-BR": "{count} modelos sincronizados.", "en": "{count} templates synced."},
    "channel.templates_empty": {
        "pt-BR": "Nenhum modelo encontrado nesta conta do WhatsApp Business.",
        "en": "No templates found in this WhatsApp Business Account.",
    },
    "channel.templates_not_synced": {
        "pt-BR": "Clique em sincronizar para ver os modelos desta conta.",
        "en": "Click sync to see this account's templates.",
    },
    "channel.template_name": {"pt-BR": "Nome", "en": "Name"},
    "channel.template_language": {"pt-BR": "Idioma", "en": "Language"},
    "channel.template_status": {"pt-BR": "Situação", "en": "Status"},
    "channel.template_category": {"pt-BR": "Categoria", "en": "Category"},
    "channel.widget_title": {"pt-BR": "Chat no seu site", "en": "Chat on your website"},
    "channel.widget_help": {
        "pt-BR": "Compartilhe o link ou cole um dos códigos no HTML do seu site. Os visitantes não precisam de conta.",
        "en": "Share the link or paste one of the snippets into your website's HTML. Visitors need no account.",
    },
    "channel.widget_link": {"pt-BR": "Link público", "en": "Public link"},
    "channel.widget_open": {"pt-BR": "Abrir o chat", "en": "Open the chat"},
    "channel.embed_iframe": {"pt-BR": "Incorporar na página", "en": "Embed in a page"},
    "channel.embed_bubble": {"pt-BR": "Botão flutuante", "en": "Floating button"},
    "channel.embed_iframe_help": {
        "pt-BR": "Mostra o chat dentro da página, no lugar onde o código for colado.",
        "en": "Shows the chat inside the page, where the snippet is pasted.",
    },
    "channel.embed_bubble_help": {
        "pt-BR": "Um botão no canto da tela abre o chat. Cole antes de </body>.",
        "en": "A button in the corner of the screen opens the chat. Paste it before </body>.",
    },
    "channel.embed_copy": {"pt-BR": "Copiar código", "en": "Copy snippet"},
    "channel.webchat_no_webhook": {
        "pt-BR": "O chat do site não usa webhook nem credenciais: as mensagens chegam direto pelo SmarterChat.",
        "en": "The web chat needs no webhook or credentials: messages arrive straight through SmarterChat.",
    },
    # ------------------------------------------------------------ public web chat
    "chat.placeholder": {"pt-BR": "Escreva sua mensagem…", "en": "Type your message…"},
    "chat.send": {"pt-BR": "Enviar", "en": "Send"},
    "chat.your_name": {"pt-BR": "Seu nome (opcional)", "en": "Your name (optional)"},
    "chat.your_name_help": {
        "pt-BR": "Assim sabemos como chamar você.",
        "en": "So we know what to call you.",
    },
    "chat.sending": {"pt-BR": "Enviando…", "en": "Sending…"},
    "chat.sent": {"pt-BR": "Enviada", "en": "Sent"},
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
    # ------------------------------------------------------------ refusal
    "forbidden.title": {"pt-BR": "Você não tem acesso a esta página", "en": "You do not have access to this page"},
    "forbidden.body": {
        "pt-BR": "Seu papel nesta organização não permite abrir esta área. Se precisar, peça acesso a um(a) administrador(a).",
        "en": "Your role in this organisation does not allow this area. If you need it, ask an admin for access.",
    },
    "forbidden.home": {"pt-BR": "Ir para o início", "en": "Go to home"},
    # ------------------------------------------------------------ profile
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
    "profile.password_changed": {"pt-BR": "Senha alterada.", "en": "Password changed."},
    "profile.change_password": {"pt-BR": "Alterar senha", "en": "Change password"},
    "twofa.title": {"pt-BR": "Verificação em duas etapas", "en": "Two-step verification"},
    "twofa.explain": {
        "pt-BR": "Além da senha, peça um código do aplicativo autenticador do seu celular (Google Authenticator, Microsoft Authenticator, 1Password…) ao entrar.",
        "en": "Besides your password, ask for a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password…) when you sign in.",
    },
    "twofa.status_on": {"pt-BR": "Ativada", "en": "On"},
    "twofa.status_off": {"pt-BR": "Desativada", "en": "Off"},
    "twofa.codes_left": {"pt-BR": "{count} códigos de recuperação restantes", "en": "{count} recovery codes left"},
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
    # ------------------------------------------------------------ platform admin
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
    # ------------------------------------------------------------ errors from the services
    "error.invalid_credentials": {"pt-BR": "E-mail ou senha incorretos.", "en": "Wrong email or password."},
    "error.wrong_password": {"pt-BR": "A senha atual está incorreta.", "en": "Your current password is wrong."},
    "error.account_inactive": {
        "pt-BR": "Esta conta está desativada. Fale com o(a) administrador(a) da sua empresa.",
        "en": "This account is deactivated. Talk to your company's admin.",
    },
    "error.too_many_attempts": {
        "pt-BR": "Muitas tentativas. Tente de novo em {minutes} min.",
        "en": "Too many attempts. Try again in {minutes} min.",
    },
    "error.invalid_totp": {"pt-BR": "Código inválido ou já usado. Confira o aplicativo e tente de novo.", "en": "Invalid or already used code. Check the app and try again."},
    "error.challenge_expired": {
        "pt-BR": "O tempo para digitar o código acabou. Entre de novo com e-mail e senha.",
        "en": "Time to enter the code ran out. Sign in again with email and password.",
    },
    "error.token_expired": {"pt-BR": "Sua sessão expirou. Entre de novo.", "en": "Your session expired. Sign in again."},
    "error.token_invalid": {"pt-BR": "Sessão inválida. Entre de novo.", "en": "Invalid session. Sign in again."},
    "error.refresh_reused": {
        "pt-BR": "Por segurança, encerramos esta sessão. Entre de novo.",
        "en": "For your safety this session was closed. Sign in again.",
    },
    "error.invalid_email": {"pt-BR": "Informe um e-mail válido.", "en": "Enter a valid email address."},
    "error.invalid_name": {"pt-BR": "Informe um nome com 2 a 120 caracteres.", "en": "Enter a name of 2 to 120 characters."},
    "error.invalid_organization_name": {
        "pt-BR": "Informe o nome da empresa (2 a 120 caracteres).",
        "en": "Enter the company name (2 to 120 characters).",
    },
    "error.password_too_short": {"pt-BR": "A senha precisa ter pelo menos 10 caracteres.", "en": "The password needs at least 10 characters."},
    "error.password_too_long": {"pt-BR": "A senha é longa demais (máximo de 72 bytes).", "en": "The password is too long (72 bytes at most)."},
    "error.password_too_simple": {
        "pt-BR": "Senha simples demais: misture letras com números ou símbolos.",
        "en": "Password too simple: mix letters with digits or symbols.",
    },
    "error.email_taken": {"pt-BR": "Já existe uma conta com este e-mail.", "en": "An account with this email already exists."},
    "error.member_exists": {"pt-BR": "Esta pessoa já faz parte da organização.", "en": "This person is already in the organisation."},
    "error.last_admin": {
        "pt-BR": "A organização precisa de pelo menos um(a) administrador(a) ativo(a).",
        "en": "The organisation needs at least one active admin.",
    },
    "error.cannot_deactivate_self": {"pt-BR": "Você não pode desativar a si mesmo(a).", "en": "You cannot deactivate yourself."},
    "error.invalid_role": {"pt-BR": "Escolha um papel válido.", "en": "Choose a valid role."},
    "error.forbidden": {"pt-BR": "Você não tem permissão para fazer isso.", "en": "You are not allowed to do this."},
    "error.not_found": {"pt-BR": "Não encontrado. Talvez tenha sido removido.", "en": "Not found. It may have been removed."},
    "error.two_factor_already_enabled": {"pt-BR": "A verificação em duas etapas já está ativada.", "en": "Two-step verification is already on."},
    "error.two_factor_not_started": {"pt-BR": "Comece a configuração de novo para gerar um QR code.", "en": "Start the set-up again to get a QR code."},
    "error.two_factor_not_enabled": {"pt-BR": "A verificação em duas etapas não está ativada.", "en": "Two-step verification is not on."},
    "error.no_organization": {"pt-BR": "Esta conta não pertence a nenhuma organização.", "en": "This account belongs to no organisation."},
    "error.invalid_locale": {"pt-BR": "Idioma não disponível.", "en": "Language not available."},
    "error.invalid_input": {"pt-BR": "Confira os dados informados.", "en": "Check the information you entered."},
    "error.conflict": {"pt-BR": "Isto conflita com dados existentes.", "en": "This conflicts with existing data."},
    "error.invalid_channel_kind": {"pt-BR": "Escolha WhatsApp, Instagram ou chat do site.", "en": "Choose WhatsApp, Instagram or web chat."},
    "error.invalid_external_id": {
        "pt-BR": "Informe o ID da Meta só com números (sem espaços, traços ou o número de telefone).",
        "en": "Enter Meta's ID with digits only (no spaces, dashes or the phone number itself).",
    },
    "error.invalid_business_account_id": {
        "pt-BR": "O ID da conta do WhatsApp Business tem só números.",
        "en": "The WhatsApp Business Account ID has digits only.",
    },
    "error.credentials_required": {
        "pt-BR": "Informe o token de acesso e a chave secreta do app.",
        "en": "Enter the access token and the app secret.",
    },
    "error.invalid_agent": {"pt-BR": "Escolha um agente de IA desta organização.", "en": "Choose an AI agent of this organisation."},
    "error.templates_need_waba": {
        "pt-BR": "Para sincronizar modelos, informe antes o ID da conta do WhatsApp Business e salve.",
        "en": "To sync templates, first enter the WhatsApp Business Account ID and save.",
    },
    "error.meta_error": {"pt-BR": "A Meta recusou o pedido: {detail}", "en": "Meta refused the request: {detail}"},
    "error.channel_disabled": {
        "pt-BR": "Este chat está pausado no momento. Tente de novo mais tarde.",
        "en": "This chat is paused right now. Try again later.",
    },
    "error.too_many_messages": {
        "pt-BR": "Você enviou muitas mensagens seguidas. Espere {retry_after} s e tente de novo.",
        "en": "You sent many messages in a row. Wait {retry_after} s and try again.",
    },
    "error.invalid_message": {
        "pt-BR": "Escreva uma mensagem de até {max} caracteres.",
        "en": "Write a message of up to {max} characters.",
    },
    "error.invalid_visitor": {
        "pt-BR": "Não conseguimos identificar esta conversa. Recarregue a página.",
        "en": "We could not identify this conversation. Reload the page.",
    },
    "error.generic": {
        "pt-BR": "Algo deu errado do nosso lado. Tente de novo em instantes.",
        "en": "Something went wrong on our side. Try again in a moment.",
    },
}


def normalise_locale(locale: str | None) -> str:
    if locale in LOCALES:
        return locale  # type: ignore[return-value]
    if locale and locale.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def translate(key: str, locale: str | None = DEFAULT_LOCALE, **params: Any) -> str:
    entry = TABLE.get(key)
    if entry is None:
        return key
    text = entry[normalise_locale(locale)]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def error_message(code: str, locale: str | None = DEFAULT_LOCALE,
                  params: Mapping[str, Any] | None = None) -> str:
    """The sentence shown for a service error code; unknown codes get the generic one."""
    params = dict(params or {})
    if code == "too_many_attempts":
        params["minutes"] = max(1, math.ceil(int(params.get("retry_after") or 60) / 60))
    key = f"error.{code}"
    return translate(key if key in TABLE else "error.generic", locale, **params)

"""The Reflex app: pages, plus the FastAPI routes mounted through api_transformer."""

import reflex as rx
from reflex.utils import prerequisites

from smarterchat.backend.api.app import create_api
from smarterchat.backend.config import get_settings
from smarterchat.backend.private_files import ensure_private_dir
from smarterchat.components.pwa import pwa_head
from smarterchat.components.storage_guard import storage_guard
from smarterchat.pages.agent_detail import agent_detail_page
from smarterchat.pages.agents import agents_page
from smarterchat.pages.analytics import analytics_page
from smarterchat.pages.api_settings import api_settings_page
from smarterchat.pages.channel_detail import channel_detail_page
from smarterchat.pages.channels import channels_page
from smarterchat.pages.crm import crm_page
from smarterchat.pages.crm_import import crm_import_page
from smarterchat.pages.crm_lead import lead_page
from smarterchat.pages.crm_settings import crm_settings_page
from smarterchat.pages.dashboard import dashboard_page
from smarterchat.pages.forgot import forgot_page
from smarterchat.pages.inbox import inbox_page
from smarterchat.pages.inbox_queue import inbox_queue_page
from smarterchat.pages.invite import invite_page
from smarterchat.pages.login import login_page
from smarterchat.pages.not_found import not_found_page
from smarterchat.pages.organizations import organizations_page
from smarterchat.pages.profile import profile_page
from smarterchat.pages.reset import reset_page
from smarterchat.pages.settings import settings_page
from smarterchat.pages.signup import signup_page
from smarterchat.pages.users import users_page
from smarterchat.pages.verify import verify_page
from smarterchat.pages.webchat import webchat_page
from smarterchat.state.accounts import ForgotState, InviteState, ResetState, VerifyState
from smarterchat.state.agent_detail import AgentDetailState
from smarterchat.state.agents import AgentsState
from smarterchat.state.analytics import AnalyticsState
from smarterchat.state.api_settings import ApiSettingsState
from smarterchat.state.badges import BadgeState
from smarterchat.state.channel_detail import ChannelDetailState
from smarterchat.state.channels import ChannelsState
from smarterchat.state.crm import CrmState
from smarterchat.state.crm_import import CrmImportState
from smarterchat.state.crm_lead import LeadState
from smarterchat.state.crm_settings import CrmSettingsState
from smarterchat.state.dashboard import DashboardState
from smarterchat.state.inbox import InboxState
from smarterchat.state.inbox_queue import InboxQueueState
from smarterchat.state.login import LoginState
from smarterchat.state.organizations import OrganizationsState
from smarterchat.state.profile import ProfileState
from smarterchat.state.settings import OrgSettingsState
from smarterchat.state.signup import SignupState
from smarterchat.state.users import UsersState
from smarterchat.state.webchat import ChatState
from tasks.embedded import embedded_consumer

if not get_settings().redis_url:
    # Without Redis, Reflex keeps each tab's state in files there: this user's only.
    ensure_private_dir(prerequisites.get_states_dir().absolute())

app = rx.App(
    api_transformer=create_api(),
    # storage_guard first, before Reflex's scripts: embedded web chats.
    head_components=[storage_guard(), *pwa_head()],
)
app.register_lifespan_task(embedded_consumer)  # runs tasks in-process when there is no Redis

# route, page, title, on_load: each signed-in page's load resolves the session first.
PAGES = [
    ("/login", login_page, "Entrar · SmarterChat", LoginState.load),
    ("/signup", signup_page, "Cadastro · SmarterChat", SignupState.load),
    ("/verify", verify_page, "Confirmar e-mail · SmarterChat", VerifyState.load),
    ("/forgot", forgot_page, "Esqueci minha senha · SmarterChat", ForgotState.load),
    ("/reset", reset_page, "Nova senha · SmarterChat", ResetState.load),
    ("/invite", invite_page, "Convite · SmarterChat", InviteState.load),
    ("/", dashboard_page, "Início · SmarterChat", DashboardState.load),
    ("/inbox", inbox_page, "Caixa de entrada · SmarterChat", InboxState.load),
    ("/inbox/queue", inbox_queue_page, "Fila e equipe · SmarterChat", InboxQueueState.load),
    ("/crm", crm_page, "CRM · SmarterChat", CrmState.load),
    ("/crm/lead/[lead_id]", lead_page, "Lead · SmarterChat", LeadState.load),
    ("/crm/settings", crm_settings_page, "Funil · SmarterChat", CrmSettingsState.load),
    ("/crm/import", crm_import_page, "Importar leads · SmarterChat", CrmImportState.load),
    ("/agents", agents_page, "Agentes · SmarterChat", AgentsState.load),
    ("/agents/[agent_id]", agent_detail_page, "Agente · SmarterChat", AgentDetailState.load),
    ("/analytics", analytics_page, "Relatórios · SmarterChat", AnalyticsState.load),
    ("/settings", settings_page, "Configurações · SmarterChat", OrgSettingsState.load),
    ("/settings/users", users_page, "Usuários · SmarterChat", UsersState.load),
    ("/settings/channels", channels_page, "Canais · SmarterChat", ChannelsState.load),
    ("/settings/api", api_settings_page, "API e webhooks · SmarterChat", ApiSettingsState.load),
    ("/settings/channels/[channel_id]", channel_detail_page, "Canal · SmarterChat",
     ChannelDetailState.load),
    ("/profile", profile_page, "Meu perfil · SmarterChat", ProfileState.load),
    ("/admin/organizations", organizations_page, "Organizações · SmarterChat",
     OrganizationsState.load),
    # Public: a company's web chat for its site visitors (no login, no app shell).
    ("/chat/[channel_id]", webchat_page, "Chat", ChatState.load),
]
PUBLIC = {"/login", "/signup", "/verify", "/forgot", "/reset", "/invite", "/chat/[channel_id]"}
for route, page, title, on_load in PAGES:
    # Signed-in tabs count what needs a person: "(3) Caixa de entrada · SmarterChat".
    shown = title if route in PUBLIC else BadgeState.title_prefix + title
    app.add_page(page, route=route, title=shown, on_load=on_load)
# Any other address: Reflex serves its "404" route.
app.add_page(not_found_page, route="404", title="Página não encontrada · SmarterChat")

"""The pages' state logic, driven in-process against real databases.

State classes are built as Reflex builds them (one root with every substate) and
their handlers are called directly; the services underneath run for real.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import string
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pyotp
import pytest

DEMO_PASSWORD = "demo-smarterchat"
ADMIN = "admin@demo.smarterchat.app"
MANAGER = "gerente@demo.smarterchat.app"
CONSULTANT = "consultora@demo.smarterchat.app"
SUPER = "super@demo.smarterchat.app"


# ---------------------------------------------------------------- helpers

def _states():
    # Importing the modules registers every substate under the root.
    from smarterchat.state import (  # noqa: F401
        agents,
        analytics,
        crm,
        dashboard,
        inbox,
        login,
        organizations,
        profile,
        session,
        settings,
        signup,
        users,
    )


def new_root():
    import reflex as rx

    _states()
    return rx.State(_reflex_internal_init=True)


def sub(root, cls):
    return root.get_substate(cls.get_full_name().split(".")[1:])


def fire(result) -> list:
    """Run a handler's result to the end; return the events it asked the browser for."""

    async def drain():
        events: list = []
        value = result
        if inspect.isasyncgen(value):
            async for item in value:
                if item is not None:
                    events.append(item)
            return events
        if inspect.iscoroutine(value):
            value = await value
        if value is not None:
            events.extend(value if isinstance(value, list) else [value])
        return events

    return asyncio.run(drain())


def redirect_path(events: list) -> str | None:
    for event in events:
        fn = getattr(getattr(event, "handler", None), "fn", None)
        if fn is None:
            continue
        args = {name._js_expr: value for name, value in getattr(event, "args", ())}
        if "path" in args:
            return getattr(args["path"], "_var_value", None)
    return None


@pytest.fixture
def demo(database):
    from smarterchat.backend.services.demo import load_demo

    load_demo()
    return database


def signed_in(email: str, password: str = DEMO_PASSWORD):
    from smarterchat.state.login import LoginState

    root = new_root()
    state = sub(root, LoginState)
    events = fire(state.login({"email": email, "password": password}))
    assert state.error == "", state.error
    return root, events


# ---------------------------------------------------------------- login and session

def test_login_keeps_the_access_token_on_the_server_and_the_refresh_token_in_the_browser(demo):
    from smarterchat.state.session import AppState

    root, events = signed_in(ADMIN)
    app = sub(root, AppState)
    assert redirect_path(events) == "/"
    assert app.signed_in and app.me_name == "Ana Admin"
    assert app.org_name == "Loja Demonstração" and app.role == "admin"
    assert app._access_token and app.refresh_token
    # What the browser receives never includes the access token.
    sent = json.dumps(root.dict(), default=str)
    assert app._access_token not in sent
    assert "$2b$" not in sent  # no password hash either


def test_wrong_password_shows_the_translated_error(demo):
    from smarterchat.state.login import LoginState

    root = new_root()
    state = sub(root, LoginState)
    fire(state.login({"email": ADMIN, "password": "wrong-password-1"}))
    assert state.error == "E-mail ou senha incorretos."
    assert not state.signed_in and not state.busy

    state.locale = "en"
    fire(state.login({"email": ADMIN, "password": "wrong-password-2"}))
    assert state.error == "Wrong email or password."


def test_empty_login_form_asks_for_both_fields(demo):
    from smarterchat.state.login import LoginState

    state = sub(new_root(), LoginState)
    fire(state.login({"email": "", "password": ""}))
    assert state.error == "Informe seu e-mail e sua senha."


def test_a_reload_restores_the_session_from_the_refresh_token(demo):
    from smarterchat.state.dashboard import DashboardState
    from smarterchat.state.session import AppState

    old_root, _ = signed_in(ADMIN)
    stored = sub(old_root, AppState).refresh_token

    root = new_root()  # a new tab: only localStorage survives
    app = sub(root, AppState)
    app.refresh_token = stored
    page = sub(root, DashboardState)
    events = fire(page.load())
    assert events == []
    assert app.signed_in and app.role == "admin"
    assert app.refresh_token and app.refresh_token != stored  # rotated
    assert page.loaded and page.channels == 1 and page.agents == 1


def test_without_a_session_protected_pages_send_to_login(demo):
    from smarterchat.state.users import UsersState

    page = sub(new_root(), UsersState)
    events = fire(page.load())
    assert redirect_path(events) == "/login"
    assert page.members == []


def test_an_expired_access_token_is_refreshed_once(demo):
    from smarterchat.backend.config import get_settings
    from smarterchat.state.dashboard import DashboardState
    from smarterchat.state.session import AppState

    root, _ = signed_in(ADMIN)
    app = sub(root, AppState)
    claims = jwt.decode(app._access_token, options={"verify_signature": False})
    past = datetime.now(UTC) - timedelta(hours=1)
    claims.update(iat=past, exp=past + timedelta(minutes=1))
    app._access_token = jwt.encode(claims, get_settings().jwt_secret, algorithm="HS256")
    before = app.refresh_token

    page = sub(root, DashboardState)
    assert fire(page.load()) == []
    assert page.loaded and app.signed_in
    assert app.refresh_token != before


def test_a_forged_token_ends_the_session(demo):
    from smarterchat.state.dashboard import DashboardState
    from smarterchat.state.session import AppState

    root, _ = signed_in(ADMIN)
    app = sub(root, AppState)
    app._access_token = jwt.encode({"sub": str(uuid.uuid4()), "typ": "access"}, "not-the-key-" * 4)
    app.refresh_token = "made-up"
    events = fire(sub(root, DashboardState).load())
    assert redirect_path(events) == "/login"
    assert not app.signed_in and app.refresh_token == ""


def test_logout_revokes_the_refresh_token_and_forgets_everything(demo):
    from smarterchat.state.session import AppState
    from smarterchat.state.users import UsersState

    root, _ = signed_in(ADMIN)
    app = sub(root, AppState)
    users_page = sub(root, UsersState)
    fire(users_page.load())
    assert len(users_page.members) == 3
    token = app.refresh_token

    events = fire(app.logout())
    assert redirect_path(events) == "/login?bye=1"
    assert not app.signed_in and app._access_token == "" and app.refresh_token == ""
    assert users_page.members == []

    # The old refresh token is dead: a reload does not sign back in.
    other = new_root()
    sub(other, AppState).refresh_token = token
    assert redirect_path(fire(sub(other, UsersState).load())) == "/login"


def test_login_page_sends_a_signed_in_person_home(demo):
    from smarterchat.state.login import LoginState

    root, _ = signed_in(MANAGER)
    assert redirect_path(fire(sub(root, LoginState).load())) == "/"


# ---------------------------------------------------------------- roles

def test_consultant_is_refused_on_the_users_page(demo):
    from smarterchat.state.session import AppState
    from smarterchat.state.users import UsersState

    root, _ = signed_in(CONSULTANT)
    assert not sub(root, AppState).show_users
    page = sub(root, UsersState)
    assert fire(page.load()) == []
    assert page.forbidden and page.members == []


def test_a_consultant_sees_only_their_own_analytics(demo):
    from smarterchat.state.analytics import AnalyticsState

    _seed_conversations()
    root, _ = signed_in(CONSULTANT)
    page = sub(root, AnalyticsState)
    fire(page.load())
    assert not page.forbidden and page.own_only and page.consultants == []
    assert {c["key"]: c["value"] for c in page.cards}["conversations"] == "2"  # hers of three


def test_manager_sees_the_team_read_only(demo):
    from smarterchat.state.users import UsersState

    root, _ = signed_in(MANAGER)
    page = sub(root, UsersState)
    fire(page.load())
    assert not page.forbidden and not page.can_manage
    assert {m.email for m in page.members} == {ADMIN, MANAGER, CONSULTANT}
    # The service refuses even if the page were tricked into calling it.
    admin_id = next(m.id for m in page.members if m.email == ADMIN)
    page.target_id, page.target_active = admin_id, False
    fire(page.save_active())
    assert page.action_error == "Você não tem permissão para fazer isso."


def test_role_changes_are_checked_again_on_every_call(demo):
    """A role held in state is display only: demoting someone takes effect at once."""
    from smarterchat.state.users import UsersState

    admin_root, _ = signed_in(ADMIN)
    manager_root, _ = signed_in(MANAGER)
    admin_page = sub(admin_root, UsersState)
    fire(admin_page.load())
    manager = next(m for m in admin_page.members if m.email == MANAGER)
    fire(admin_page.ask_role(manager.id))
    fire(admin_page.set_target_role("consultant"))
    fire(admin_page.save_role())
    assert admin_page.action_error == ""

    page = sub(manager_root, UsersState)
    fire(page.load())
    assert page.forbidden


def test_admin_invites_a_person_who_is_not_a_member_until_they_accept(demo):
    from smarterchat.state.users import UsersState

    root, _ = signed_in(ADMIN)
    page = sub(root, UsersState)
    fire(page.load())
    fire(page.open_create())
    fire(page.set_create_role("manager"))
    fire(page.create({"name": "Nina Nova", "email": " Nina@Demo.SmarterChat.app "}))
    assert page.create_error == "" and not page.create_open
    assert page.notice.startswith("Convite enviado para nina@demo.smarterchat.app.")
    assert not any(m.email == "nina@demo.smarterchat.app" for m in page.members)
    fire(page.open_create())
    fire(page.create({"name": "Nina\u200b Nova", "email": "nina2@demo.smarterchat.app"}))
    assert page.create_error.startswith("Use só letras")


def test_service_errors_reach_the_admin_translated(demo):
    from smarterchat.state.users import UsersState

    root, _ = signed_in(ADMIN)
    page = sub(root, UsersState)
    fire(page.load())
    me = next(m for m in page.members if m.is_me)

    fire(page.ask_active(me.id, False))
    fire(page.save_active())
    assert page.action_error == "Você não pode desativar a si mesmo(a)."

    fire(page.ask_role(me.id))
    fire(page.set_target_role("consultant"))
    fire(page.save_role())
    assert page.action_error == "A organização precisa de pelo menos um(a) administrador(a) ativo(a)."

    fire(page.open_create())
    fire(page.create({"name": "Carla de novo", "email": CONSULTANT, "password": ""}))
    assert page.create_error == "Esta pessoa já faz parte da organização."


def test_admin_manages_teams_and_places_people_in_them(demo):
    from smarterchat.state.users import NO_TEAM, UsersState

    root, _ = signed_in(ADMIN)
    page = sub(root, UsersState)
    fire(page.load())
    assert page.teams == []  # the page shows the empty state
    fire(page.open_team_create())
    fire(page.save_team({"name": " Vendas "}))
    assert page.team_error == "" and not page.team_open
    assert page.notice == "Equipe Vendas criada."
    fire(page.open_team_create())
    fire(page.save_team({"name": "vendas"}))
    assert page.team_error == "Já existe uma equipe chamada vendas." and page.team_open
    fire(page.save_team({"name": ""}))
    assert page.team_error == "Dê à equipe um nome de 1 a 80 caracteres."
    (sales,) = page.teams

    carla = next(m for m in page.members if m.email == CONSULTANT)
    fire(page.set_member_team(carla.id, sales.id))
    assert page.member_error == ""
    carla = next(m for m in page.members if m.email == CONSULTANT)
    assert (carla.team_id, carla.team) == (sales.id, "Vendas")
    assert page.teams[0].members == 1

    fire(page.ask_team_rename(sales.id))
    assert page.team_target_name == "Vendas"
    fire(page.save_team({"name": "Vendas B2B"}))
    assert page.team_error == "" and page.teams[0].name == "Vendas B2B"

    page.locale = "en"
    fire(page.set_member_team(carla.id, "not-a-team"))
    assert page.member_error == "Choose a team of this organisation."
    fire(page.set_member_team(carla.id, NO_TEAM))
    assert next(m for m in page.members if m.email == CONSULTANT).team == ""

    fire(page.ask_team_delete(sales.id))
    fire(page.delete_team())
    assert page.team_error == "" and page.teams == [] and page.notice == "Team deleted."


def test_manager_reads_teams_but_cannot_change_them(demo):
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Organization, Team
    from smarterchat.state.users import UsersState

    with session_scope() as s:
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        s.add(Team(organization_id=org.id, name="Suporte"))
    root, _ = signed_in(MANAGER)
    page = sub(root, UsersState)
    fire(page.load())
    assert [x.name for x in page.teams] == ["Suporte"] and not page.can_manage
    fire(page.ask_team_rename(page.teams[0].id))
    fire(page.save_team({"name": "Roubada"}))
    assert page.team_error == "Você não tem permissão para fazer isso."
    fire(page.open_team_create())
    fire(page.save_team({"name": "Nova"}))
    assert page.team_error == "Você não tem permissão para fazer isso."
    carla = next(m for m in page.members if m.email == CONSULTANT)
    fire(page.set_member_team(carla.id, page.teams[0].id))
    assert page.member_error == "Você não tem permissão para fazer isso."
    assert [x.name for x in page.teams] == ["Suporte"]


def test_deactivated_member_is_signed_out_at_once(demo):
    from smarterchat.state.inbox import InboxState
    from smarterchat.state.users import UsersState

    consultant_root, _ = signed_in(CONSULTANT)
    admin_root, _ = signed_in(ADMIN)
    page = sub(admin_root, UsersState)
    fire(page.load())
    carla = next(m for m in page.members if m.email == CONSULTANT)
    fire(page.ask_active(carla.id, False))
    fire(page.save_active())
    assert page.action_error == "" and page.notice == "Acesso desativado."

    events = fire(sub(consultant_root, InboxState).load())
    assert redirect_path(events) == "/login"


# ---------------------------------------------------------------- sign-up, super admin

def test_signup_creates_the_organisation_and_signs_in(database):
    import tasks
    from smarterchat.backend import mail
    from smarterchat.state.accounts import VerifyState
    from smarterchat.state.session import AppState
    from smarterchat.state.signup import SignupState

    root = new_root()
    page = sub(root, SignupState)
    fire(page.signup({"organization_name": "Padaria Pão Quente", "name": "Paula Padeira",
                      "email": "paula@paoquente.com.br", "password": "123"}))
    assert page.error == "A senha precisa ter pelo menos 10 caracteres."

    tasks.wiring.connect_listeners()
    tasks.huey.immediate = True  # the e-mail is written to the outbox at once
    try:
        fire(page.signup({"organization_name": "Padaria Pão Quente", "name": "Paula Padeira",
                          "email": "Paula@PaoQuente.com.br", "password": "fermento-natural-9"}))
    finally:
        tasks.huey.immediate = False
    assert page.error == "" and page.sent_to == "paula@paoquente.com.br"
    app = sub(root, AppState)
    assert not app.signed_in  # nothing exists until the address is proven
    import email
    import email.policy

    newest = max(mail.outbox_dir().glob("*.eml"), key=lambda p: p.stat().st_mtime)
    sent = email.message_from_bytes(newest.read_bytes(), policy=email.policy.default) \
        .get_body(("plain",)).get_content()
    token = re.search(r"/verify\?token=([A-Za-z0-9_\-]+)", sent).group(1)
    verify = sub(root, VerifyState)
    verify.router = type(verify.router).from_router_data(
        {"asPath": f"/verify?token={token}", "headers": {"origin": "http://localhost:3000"}})
    events = fire(verify.load())
    assert verify.error == "" and redirect_path(events) == "/"
    assert app.org_name == "Padaria Pão Quente" and app.role == "admin"


def test_super_admin_lands_on_the_organisations_list(demo):
    from smarterchat.state.dashboard import DashboardState
    from smarterchat.state.organizations import OrganizationsState

    root, events = signed_in(SUPER)
    assert redirect_path(events) == "/admin/organizations"
    page = sub(root, OrganizationsState)
    fire(page.load())
    assert not page.forbidden and page.total == 1
    demo_org = page.items[0]
    assert demo_org.name == "Loja Demonstração" and demo_org.members == 3

    fire(page.ask(demo_org.id, False))
    fire(page.confirm())
    assert page.action_error == "" and not page.items[0].active

    fire(page.set_search("nada-com-isso"))
    assert page.items == [] and page.total == 0

    # Organisation pages are not for the platform account.
    assert redirect_path(fire(sub(root, DashboardState).load())) == "/admin/organizations"


def test_org_admin_cannot_list_organisations(demo):
    from smarterchat.state.organizations import OrganizationsState

    root, _ = signed_in(ADMIN)
    page = sub(root, OrganizationsState)
    fire(page.load())
    assert page.forbidden and page.items == []


# ---------------------------------------------------------------- profile and 2FA

def test_two_factor_enrolment_then_login_asks_for_the_code(demo):
    from smarterchat.state.login import LoginState
    from smarterchat.state.profile import ProfileState

    root, _ = signed_in(ADMIN)
    profile = sub(root, ProfileState)
    fire(profile.load())
    assert not profile.two_factor
    fire(profile.begin_enrollment())
    assert profile.enroll_qr.startswith("data:image/svg+xml")
    secret = profile.enroll_secret
    fire(profile.confirm_enrollment({"code": "000000"}))
    assert profile.twofa_error.startswith("Código inválido")
    fire(profile.confirm_enrollment({"code": pyotp.TOTP(secret).now()}))
    assert profile.twofa_error == ""
    assert profile.two_factor and len(profile.recovery_codes) == 10
    assert profile.enroll_secret == "" and profile.enroll_qr == ""
    recovery = profile.recovery_codes[0]
    fire(profile.dismiss_codes())
    assert profile.recovery_codes == []

    login = sub(new_root(), LoginState)
    fire(login.login({"email": ADMIN, "password": DEMO_PASSWORD}))
    assert login.step == "code" and not login.signed_in and login._access_token == ""
    fire(login.verify_code({"code": "123456"}))
    assert login.error.startswith("Código inválido") and not login.signed_in
    events = fire(login.verify_code({"code": recovery}))
    assert login.signed_in and redirect_path(events) == "/"

    # The same recovery code does not work twice.
    again = sub(new_root(), LoginState)
    fire(again.login({"email": ADMIN, "password": DEMO_PASSWORD}))
    fire(again.verify_code({"code": recovery}))
    assert not again.signed_in


def test_profile_saves_name_and_language(demo):
    from smarterchat.state.login import LoginState
    from smarterchat.state.profile import ProfileState

    root, _ = signed_in(MANAGER)
    profile = sub(root, ProfileState)
    fire(profile.load())
    fire(profile.set_language("en"))
    fire(profile.save_details({"name": "  Gabriel   G. Gerente "}))
    assert profile.details_error == ""
    assert profile.details_notice == "Changes saved."
    assert profile.locale == "en" and profile.me_name == "Gabriel G. Gerente"

    fire(profile.save_details({"name": "G"}))
    assert profile.details_error == "Enter a name of 2 to 120 characters."

    # A new device picks up the saved language at sign-in.
    login = sub(new_root(), LoginState)
    assert login.locale == "pt-BR"
    fire(login.login({"email": MANAGER, "password": DEMO_PASSWORD}))
    assert login.locale == "en"


def test_change_password_checks_the_current_one(demo):
    from smarterchat.state.profile import ProfileState

    root, _ = signed_in(CONSULTANT)
    profile = sub(root, ProfileState)
    fire(profile.load())
    fire(profile.change_password({"current": "nope", "new": "outra-senha-42",
                                  "confirm": "outra-senha-42"}))
    assert profile.password_error == "A senha atual está incorreta."
    fire(profile.change_password({"current": DEMO_PASSWORD, "new": "outra-senha-42",
                                  "confirm": "outra-senha-43"}))
    assert profile.password_error == "As duas senhas novas não são iguais."
    fire(profile.change_password({"current": DEMO_PASSWORD, "new": "outra-senha-42",
                                  "confirm": "outra-senha-42"}))
    assert profile.password_error == ""
    assert profile.password_notice.startswith("Senha alterada.")
    fire(profile.load())  # this tab carries on with its new session
    assert profile.error == "" and profile.name


# ---------------------------------------------------------------- read-only pages

def test_read_only_pages_load_for_the_demo(demo):
    from smarterchat.state.agents import AgentsState
    from smarterchat.state.crm import CrmState
    from smarterchat.state.inbox import InboxState
    from smarterchat.state.settings import OrgSettingsState

    root, _ = signed_in(CONSULTANT)
    inbox = sub(root, InboxState)
    fire(inbox.load())
    assert inbox.loaded and inbox.items == [] and not inbox.forbidden
    fire(inbox.set_filter("all"))
    assert inbox.status_filter == "all"

    crm = sub(root, CrmState)
    fire(crm.load())
    assert crm.total == 0 and [s.stage for s in crm.stages][:2] == ["Novo", "Qualificado"]

    agents = sub(root, AgentsState)
    fire(agents.load())
    assert [a.name for a in agents.agents] == ["Assistente da Loja"]
    assert [c.kind for c in agents.agents[0].channels] == ["webchat"]

    org = sub(root, OrgSettingsState)
    fire(org.load())
    assert org.name == "Loja Demonstração" and org.members == 3


def _seed_conversations() -> None:
    from sqlmodel import select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import (
        Channel,
        Contact,
        Conversation,
        Lead,
        Message,
        Organization,
        PipelineStage,
        User,
    )
    from smarterchat.backend.models.base import utcnow
    from smarterchat.backend.services.crm import defaults

    with session_scope() as s:
        org = s.exec(select(Organization).where(Organization.slug == "demo")).one()
        channel = s.exec(select(Channel).where(Channel.organization_id == org.id)).one()
        carla = s.exec(select(User).where(User.email == CONSULTANT)).one()
        pipeline = defaults.default_pipeline(s, org.id)
        stages = s.exec(select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id)
                        .order_by(PipelineStage.position)).all()
        rows = [("Mariana Souza", "waiting_human", None, "Quero falar com uma pessoa", 30),
                (None, "human", carla.id, "Obrigada!", 20),
                ("Beatriz Lima", "resolved", carla.id, "Resolvido", 10)]
        for i, (name, status, assignee, text, minutes) in enumerate(rows):
            contact = Contact(organization_id=org.id, channel_id=channel.id, external_id=f"v{i}",
                              name=name, phone="+5511999990000" if name is None else None)
            s.add(contact)
            s.flush()
            conv = Conversation(organization_id=org.id, channel_id=channel.id,
                                contact_id=contact.id, status=status, assignee_id=assignee,
                                last_message_at=utcnow() - timedelta(minutes=minutes))
            s.add(conv)
            s.flush()
            s.add(Message(organization_id=org.id, conversation_id=conv.id, channel_id=channel.id,
                          text=text, delivery_status="received"))
            s.add(Message(organization_id=org.id, conversation_id=conv.id, channel_id=channel.id,
                          text="nota interna", is_private=True, direction="outbound",
                          author_kind="consultant", delivery_status="sent",
                          created_at=utcnow() + timedelta(seconds=1)))
            s.add(Lead(organization_id=org.id, contact_id=contact.id, pipeline_id=pipeline.id,
                       stage_id=stages[[0, 2, 4][i]].id, temperature=["hot", "warm", "cold"][i],
                       value_cents=[149900, None, 2500][i], owner_id=assignee,
                       fields={"name": name} if name else {}))


def test_pages_show_the_organisations_conversations_and_leads(demo):
    from smarterchat.state.analytics import AnalyticsState
    from smarterchat.state.badges import BadgeState
    from smarterchat.state.crm import CrmState
    from smarterchat.state.dashboard import DashboardState
    from smarterchat.state.inbox import InboxState

    _seed_conversations()
    root, _ = signed_in(CONSULTANT)
    home = sub(root, DashboardState)
    fire(home.load())
    badges = sub(root, BadgeState)  # the home page's live counts are the sidebar's
    assert (home.open_conversations, badges.waiting, badges.mine, home.leads) == (2, 1, 1, 3)

    inbox = sub(root, InboxState)
    fire(inbox.load())
    assert [c.contact for c in inbox.items] == ["+5511999990000", "Mariana Souza"]
    first = inbox.items[1]
    assert first.status == "waiting_human" and first.preview == "Quero falar com uma pessoa"
    assert first.initial == "M" and inbox.items[0].initial == "#"
    assert inbox.items[0].assignee == "Carla Consultora"
    fire(inbox.set_filter("resolved"))
    assert [c.contact for c in inbox.items] == ["Beatriz Lima"]

    crm = sub(root, CrmState)
    fire(crm.load())
    by_stage = {s.stage: s for s in crm.stages}
    assert crm.total == 3 and by_stage["Novo"].leads[0].value == "R$ 1.499,00"
    assert by_stage["Ganho"].leads[0].value == "R$ 25,00" and by_stage["Qualificado"].total == 0

    manager_root, _ = signed_in(MANAGER)
    stats = sub(manager_root, AnalyticsState)
    fire(stats.load())
    cards = {c["key"]: c["value"] for c in stats.cards}
    assert (cards["conversations"], cards["contacts"], stats.has_data) == ("3", "3", True)
    assert not stats.empty["volume"] and not stats.empty["heatmap"] and stats.empty["ai_cost"]
    assert [r["stage"] for r in stats.funnel_rows][:2] == ["Novo", "Qualificado"]
    carla = next(p["id"] for p in stats.consultants if p["name"] == "Carla Consultora")
    fire(stats.set_filter("consultant", carla))
    assert {c["key"]: c["value"] for c in stats.cards}["conversations"] == "2"
    download = fire(stats.download("volume"))
    assert len(download) == 1 and "smarterchat-volume-" in str(download[0])
    rows = fire(stats.download_conversations())
    assert len(rows) == 1 and "smarterchat-conversations-" in str(rows[0])
    fire(stats.set_filter("channel", "not-a-channel"))
    assert stats.error == "O valor do filtro “channel” não é válido."


def test_other_organisations_data_never_shows(demo):
    from smarterchat.state.crm import CrmState
    from smarterchat.state.inbox import InboxState
    from smarterchat.state.signup import SignupState

    _seed_conversations()
    root = new_root()
    fire(sub(root, SignupState).signup({"organization_name": "Outra Loja", "name": "Otto Outro",
                                        "email": "otto@outra.com.br",
                                        "password": "outra-loja-123"}))
    inbox = sub(root, InboxState)
    fire(inbox.set_filter("all"))
    assert inbox.items == []
    crm = sub(root, CrmState)
    fire(crm.load())
    assert crm.total == 0


def test_next_parameter_only_accepts_local_paths():
    from smarterchat.state.session import safe_next

    assert safe_next("/settings/users") == "/settings/users"
    for bad in ("//evil.example", "https://evil.example", "/\\evil", "/login", "", None):
        assert safe_next(bad) == ""


# ---------------------------------------------------------------- translations

REQUIRED_ERRORS = [
    "invalid_credentials", "account_inactive", "too_many_attempts", "invalid_totp",
    "challenge_expired", "token_expired", "token_invalid", "refresh_reused", "invalid_email",
    "invalid_name", "invalid_organization_name", "password_too_short", "password_too_long",
    "password_common", "password_guessable", "invalid_characters",
    "email_taken", "member_exists", "last_admin", "cannot_deactivate_self",
    "invalid_role", "forbidden", "not_found", "two_factor_already_enabled",
    "two_factor_not_started", "two_factor_not_enabled", "no_organization", "invalid_locale",
    "generic",
]


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    from smarterchat.i18n import LOCALES, TABLE

    fields = string.Formatter()
    for key, entry in TABLE.items():
        assert set(entry) == set(LOCALES), key
        assert all(entry[loc].strip() for loc in LOCALES), key
        names = [{f for _, f, _, _ in fields.parse(entry[loc]) if f} for loc in LOCALES]
        assert names[0] == names[1], key
    for code in REQUIRED_ERRORS:
        assert f"error.{code}" in TABLE, code


def test_every_error_code_the_code_raises_has_a_sentence():
    """A code without a sentence reaches people as "something went wrong"."""
    from pathlib import Path

    from smarterchat.backend.services.agents import _FIELDS, DEFAULT_HANDOFF_RULES
    from smarterchat.i18n import TABLE

    raised = re.compile(r"\b(?:InvalidInput|Conflict|NotFound|PermissionDenied|AuthError|"
                        r"TooManyAttempts|ServiceError)\(\s*\"([a-z0-9_]+)\"")
    source = Path(__file__).resolve().parents[1] / "smarterchat"
    codes = {code for path in source.rglob("*.py")
             for code in raised.findall(path.read_text())}
    assert len(codes) > 50  # the pattern still finds them
    # Codes made from field names: agents.clean_settings and its handoff rules, and
    # auth.clean_name for people's and organisations' names.
    codes |= {f"invalid_{name}" for name in _FIELDS if name != "name"}
    codes |= {"invalid_name", "invalid_organization_name"}
    codes |= {f"invalid_{key}" for key, default in DEFAULT_HANDOFF_RULES.items()
              if isinstance(default, (int, float)) and not isinstance(default, bool)}
    assert sorted(c for c in codes if f"error.{c}" not in TABLE) == []


def test_error_messages_fill_in_their_parameters():
    from smarterchat.i18n import error_message

    assert error_message("too_many_attempts", "pt-BR", {"retry_after": 125}) == \
        "Muitas tentativas. Tente de novo em 3 min."
    assert error_message("too_many_attempts", "en", {"retry_after": 30}) == \
        "Too many attempts. Try again in 1 min."
    assert error_message("something_new", "en") == error_message("generic", "en")


def test_every_text_key_used_in_the_pages_exists():
    from pathlib import Path

    from smarterchat.i18n import TABLE

    root = Path(__file__).resolve().parent.parent / "smarterchat"
    used = set()
    for path in list((root / "pages").glob("*.py")) + list((root / "components").glob("*.py")) \
            + list((root / "state").glob("*.py")):
        used |= set(re.findall(r"""(?:\bt|_t)\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""",
                               path.read_text()))
    assert used, "no keys found: the pattern is stale"
    missing = sorted(k for k in used if k not in TABLE)
    assert missing == []

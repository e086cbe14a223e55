"""The board's page state, driven in-process against real databases: drag and drop, the
"move to" menu, won asking the value and lost a reason, filters."""

from __future__ import annotations

import asyncio
import inspect
from datetime import timedelta

import pytest

from smarterchat.backend.models import Lead, PipelineStage
from smarterchat.backend.models.base import utcnow
from tests.factories import PASSWORD, make_conversation, make_lead, make_org, make_user


def run(result) -> list:
    """Run a handler's result to the end; return the events it asked the browser for."""

    async def drain():
        seen: list = []
        value = result
        if inspect.isasyncgen(value):
            async for item in value:
                if item is not None:
                    seen.append(item)
            return seen
        if inspect.iscoroutine(value):
            value = await value
        return [value] if value is not None else []

    return asyncio.run(drain())


@pytest.fixture
def board_state(session):
    import reflex as rx

    from smarterchat.state import (  # noqa: F401 - registers the substates
        crm,
        crm_settings,
        crm_tools,
        login,
    )
    from smarterchat.state.crm import CrmState
    from smarterchat.state.login import LoginState

    org = make_org(session, "Loja Quadro")
    admin = make_user(session, org)
    leads = []
    for name in ("Ana", "Bia"):
        _, contact, _, _ = make_conversation(session, org)
        contact.name, contact.external_id = name, f"5511{len(leads)}999"
        session.add(contact)
        session.commit()
        leads.append(make_lead(session, org, contact, position=float(len(leads))))
    root = rx.State(_reflex_internal_init=True)

    def substate(cls):
        return root.get_substate(cls.get_full_name().split(".")[1:])

    run(substate(LoginState).login({"email": admin.email, "password": PASSWORD}))
    state = substate(CrmState)
    run(state.load())
    return {"state": state, "leads": leads, "org": org}


def stage_named(state, name):
    return next(s for s in state.stages if s.stage == name)


def test_dragging_a_card_to_another_column_moves_it_for_good(session, board_state):
    state, (ana, bia) = board_state["state"], board_state["leads"]
    assert [s.stage for s in state.stages][:2] == ["Novo", "Qualificado"]
    assert [c.name for c in stage_named(state, "Novo").leads] == ["Ana", "Bia"]
    run(state.drag(str(bia.id)))
    run(state.drop(stage_named(state, "Qualificado").id, ""))
    assert [c.name for c in stage_named(state, "Qualificado").leads] == ["Bia"]
    session.expire_all()
    assert session.get(PipelineStage, session.get(Lead, bia.id).stage_id).name == "Qualificado"
    # Dropped on Ana's card: just above her.
    run(state.drag(str(bia.id)))
    run(state.drop(stage_named(state, "Novo").id, str(ana.id)))
    assert [c.name for c in stage_named(state, "Novo").leads] == ["Bia", "Ana"]


def test_won_asks_the_value_and_lost_a_reason_before_moving(session, board_state):
    state, (ana, _) = board_state["state"], board_state["leads"]
    run(state.move_to(str(ana.id), stage_named(state, "Ganho").id))
    assert state.pending_kind == "won" and stage_named(state, "Ganho").total == 0
    state.set_pending_value("muito")
    run(state.confirm_move())
    assert state.move_error != "" and state.pending_lead == str(ana.id)
    state.set_pending_value("1.500,00")
    run(state.confirm_move())
    assert state.pending_lead == "" and stage_named(state, "Ganho").leads[0].value == "R$ 1.500,00"
    assert stage_named(state, "Ganho").value == "R$ 1.500,00"

    run(state.move_to(str(ana.id), stage_named(state, "Perdido").id))
    assert state.pending_kind == "lost"
    run(state.confirm_move())
    assert "motivo" in state.move_error and stage_named(state, "Perdido").total == 0
    state.set_pending_reason(state.reasons[0].name)
    run(state.confirm_move())
    session.expire_all()
    assert session.get(Lead, ana.id).lost_reason == "Preço"
    assert stage_named(state, "Perdido").total == 1


def test_search_and_filters_narrow_the_board(session, board_state):
    state = board_state["state"]
    run(state.set_search("bia"))
    assert [c.name for s in state.stages for c in s.leads] == ["Bia"]
    run(state.set_search(""))
    run(state.set_temperature("hot"))
    assert state.total == 0
    run(state.set_temperature("all"))
    assert state.total == 2
    # Both came on WhatsApp; Ana's lead is two months old.
    run(state.set_channel_kind("instagram"))
    assert state.total == 0
    run(state.set_channel_kind("whatsapp"))
    assert state.total == 2
    ana = session.get(Lead, board_state["leads"][0].id)
    ana.created_at = utcnow() - timedelta(days=60)
    session.add(ana)
    session.commit()
    run(state.set_period_days("30"))
    assert [c.name for s in state.stages for c in s.leads] == ["Bia"]
    run(state.set_period_days("all"))
    assert state.total == 2


def test_the_toolbar_creates_exports_and_merges(session, board_state):
    from smarterchat.state.crm_tools import CrmToolsState

    state = board_state["state"]
    root = state.parent_state
    while root.parent_state is not None:
        root = root.parent_state
    tools = root.get_substate(CrmToolsState.get_full_name().split(".")[1:])
    run(tools.open_new())
    assert tools.new_open and tools.channel_id
    for key, value in (("name", "Célia Nova"), ("phone", "11 96666-5555"), ("value", "abc")):
        tools.set_form(key, value)
    run(tools.create())
    assert tools.tool_error != "" and tools.new_open  # a bad value: nothing written
    tools.set_form("value", "300,00")
    run(tools.create())
    assert not tools.new_open
    assert stage_named(state, "Novo").leads[0].name == "Célia Nova"  # at the top
    (download,) = run(tools.export(";"))
    assert "leads.csv" in str(download)
    run(tools.open_duplicates())
    assert tools.duplicates == []  # the admin's shop has none


def test_admins_add_stages_and_choose_the_distribution(session, board_state):
    from smarterchat.state.crm_settings import CrmSettingsState

    state = board_state["state"]
    root = state.parent_state
    while root.parent_state is not None:
        root = root.parent_state
    settings = root.get_substate(CrmSettingsState.get_full_name().split(".")[1:])
    run(settings.load())
    assert [s.name for s in settings.stages][:2] == ["Novo", "Qualificado"]
    settings.set_text("new_stage", "Demonstração")
    run(settings.add_stage())
    assert settings.stages[-1].name == "Demonstração"
    settings.set_text("rule", "round_robin")
    settings.set_text("cap", "3")
    run(settings.save_distribution())
    run(settings.load())
    assert (settings.rule, settings.cap) == ("round_robin", "3")


def test_a_lead_given_by_someone_else_is_announced_to_its_new_owner():
    from smarterchat.state.crm import given_to

    notices = [{"type": "lead", "event": "LeadOwnerChanged", "owner_id": "me", "actor_id": ""},
               {"type": "lead", "event": "LeadOwnerChanged", "owner_id": "me", "actor_id": "me"},
               {"type": "lead", "event": "LeadStageChanged", "owner_id": "me", "actor_id": ""},
               {"type": "lead", "event": "LeadOwnerChanged", "owner_id": "you", "actor_id": ""}]
    assert given_to(notices, "me") == [notices[0]]

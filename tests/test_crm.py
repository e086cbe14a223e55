"""The CRM pipeline's services: the default pipeline, moves with their values and reasons,
board order, stale leads, visibility per role, tenancy, the audit log and the events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from smarterchat.backend import events
from smarterchat.backend.models import (
    AuditLog,
    Contact,
    CrmSettings,
    Lead,
    LeadActivity,
    Pipeline,
    PipelineStage,
)
from smarterchat.backend.models.base import utcnow
from smarterchat.backend.services.crm import actions, board, pipelines
from smarterchat.backend.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import actor_for, make_conversation, make_lead, make_org, make_user


@pytest.fixture
def emitted():
    seen: list[events.LeadEvent] = []
    for kind in events.LEAD_EVENTS:
        events.subscribe(kind, seen.append)
    yield seen
    for kind in events.LEAD_EVENTS:
        events.unsubscribe(kind, seen.append)


@pytest.fixture
def shop(session):
    org = make_org(session, "Loja CRM")
    admin = make_user(session, org)
    _, contact, conversation, _ = make_conversation(session, org)
    lead = make_lead(session, org, contact, temperature="hot")
    return {"org": org, "admin": actor_for(session, admin, org), "lead": lead,
            "contact": contact, "conversation": conversation}


def stages(session, org):
    """The stages of the organisation's default pipeline, in order."""
    return session.exec(select(PipelineStage).join(Pipeline).where(
        PipelineStage.organization_id == org.id, Pipeline.is_default)
        .order_by(col(PipelineStage.position))).all()


def another_lead(session, org, name, **values):
    _, contact, _, _ = make_conversation(session, org)
    contact.name, contact.external_id = name, f"55119{abs(hash(name)) % 10**8:08d}"
    session.add(contact)
    session.commit()
    return make_lead(session, org, contact, **values)


def test_every_organisation_starts_with_the_default_pipeline_in_portuguese(session, shop):
    (pipeline,) = pipelines.list_pipelines(session, shop["admin"])
    assert pipeline.name == "Vendas" and pipeline.is_default
    assert [(s.name, s.kind) for s in pipeline.stages] == [
        ("Novo", "open"), ("Qualificado", "open"), ("Proposta", "open"),
        ("Negociação", "open"), ("Ganho", "won"), ("Perdido", "lost")]
    reasons = [r.name for r in pipelines.lost_reasons(session, shop["admin"])]
    assert "Preço" in reasons and len(reasons) == 4


def test_moving_to_won_asks_the_value_and_to_lost_a_reason(session, shop, emitted):
    admin, lead = shop["admin"], shop["lead"]
    won, lost = stages(session, shop["org"])[4], stages(session, shop["org"])[5]
    with pytest.raises(InvalidInput) as refused:
        actions.move(session, admin, lead.id, won.id)
    assert refused.value.code == "won_needs_value"
    with pytest.raises(InvalidInput) as refused:
        actions.move(session, admin, lead.id, lost.id, lost_reason="   ")
    assert refused.value.code == "lost_needs_reason"
    session.expire_all()
    assert session.get(Lead, lead.id).stage_id == stages(session, shop["org"])[0].id
    assert emitted == []  # refused moves change nothing and say nothing

    actions.move(session, admin, lead.id, won.id, value_cents=250000)
    session.expire_all()
    moved = session.get(Lead, lead.id)
    assert moved.stage_id == won.id and moved.value_cents == 250000 and moved.closed_at
    assert [type(e).__name__ for e in emitted] == ["LeadStageChanged", "LeadWon"]
    assert emitted[0].from_stage_name == "Novo" and emitted[1].value_cents == 250000
    assert emitted[1].actor_user_id == admin.user_id and emitted[1].stage_kind == "won"

    actions.move(session, admin, lead.id, lost.id, lost_reason="Preço")
    session.expire_all()
    moved = session.get(Lead, lead.id)
    assert moved.lost_reason == "Preço" and moved.stage_id == lost.id
    assert isinstance(emitted[-1], events.LeadLost) and emitted[-1].reason == "Preço"
    lines = session.exec(select(LeadActivity).where(LeadActivity.lead_id == lead.id,
                                                    LeadActivity.kind == "stage")
                         .order_by(col(LeadActivity.created_at))).all()
    assert [line.data["after_name"] for line in lines] == ["Ganho", "Perdido"]
    assert lines[1].text == "Preço"
    audits = session.exec(select(AuditLog.action).where(
        AuditLog.target_id == str(lead.id))).all()
    assert audits.count("lead.stage_changed") == 2


def test_the_board_keeps_the_order_cards_were_dropped_in(session, shop):
    admin, org = shop["admin"], shop["org"]
    first = stages(session, org)[0]
    ana = another_lead(session, org, "Ana", position=1.0)
    bia = another_lead(session, org, "Bia", position=2.0)
    shop["lead"].position = 3.0
    session.add(shop["lead"])
    session.commit()
    # The shop's lead dropped between Ana and Bia, then Bia dropped on top.
    actions.move(session, admin, shop["lead"].id, first.id, before_id=bia.id)
    actions.move(session, admin, bia.id, first.id, to_top=True)
    found = board.board(session, admin, board.BoardFilters())
    assert [c.name for c in found.columns[0].cards] == ["Bia", "Ana", "Cliente"]
    # Many drops on the same spot keep a strict order (the column is renumbered).
    for _ in range(60):
        actions.move(session, admin, shop["lead"].id, first.id, before_id=ana.id)
        actions.move(session, admin, shop["lead"].id, first.id, before_id=bia.id)
    found = board.board(session, admin, board.BoardFilters())
    assert [c.name for c in found.columns[0].cards] == ["Cliente", "Bia", "Ana"]


def test_columns_count_and_total_every_lead_and_load_page_by_page(session, shop):
    admin, org = shop["admin"], shop["org"]
    for i in range(25):
        another_lead(session, org, f"Lead {i:02d}", value_cents=1000, position=float(i))
    found = board.board(session, admin, board.BoardFilters())
    first = found.columns[0]
    assert (first.count, first.total_cents, len(first.cards)) == (26, 25000, 20)
    assert first.has_more
    rest = board.column_page(session, admin, first.stage_id, board.BoardFilters(), offset=20)
    assert len(rest) == 6 and {c.id for c in rest}.isdisjoint({c.id for c in first.cards})


def test_a_lead_longer_than_its_stage_allows_is_stale(session, shop):
    admin, org = shop["admin"], shop["org"]
    fresh = another_lead(session, org, "Fresca")
    old = shop["lead"]
    old.stage_changed_at = utcnow() - timedelta(days=4)  # Novo is stale after 3 days
    session.add(old)
    session.commit()
    cards = {c.id: c for c in board.board(session, admin, board.BoardFilters()).columns[0].cards}
    assert cards[str(old.id)].stale and not cards[str(fresh.id)].stale
    only = board.board(session, admin, board.BoardFilters(stale_only=True)).columns[0]
    assert [c.id for c in only.cards] == [str(old.id)] and only.count == 1


def test_search_finds_by_name_phone_email_and_company(session, shop):
    admin, org = shop["admin"], shop["org"]
    lead = another_lead(session, org, "Joana Prado")
    contact = session.get(Contact, lead.contact_id)
    contact.phone, contact.email = "+5511988887777", "joana@prado.com.br"
    lead.fields = {"company": "Padaria Prado"}
    session.add_all([contact, lead])
    session.commit()
    for text in ("joana", "8888-7777", "JOANA@PRADO", "padaria"):
        found = board.board(session, admin, board.BoardFilters(search=text)).columns[0]
        assert [c.id for c in found.cards] == [str(lead.id)], text
    assert board.board(session, admin, board.BoardFilters(search="100%")).columns[0].count == 0


def test_consultants_see_their_own_and_unassigned_leads_as_the_organisation_chooses(session,
                                                                                     shop):
    org = shop["org"]
    carla = make_user(session, org, "consultant")
    dani = make_user(session, org, "consultant")
    manager = actor_for(session, make_user(session, org, "manager"), org)
    mine = another_lead(session, org, "Da Carla", owner_id=carla.id)
    theirs = another_lead(session, org, "Da Dani", owner_id=dani.id)
    carla_actor = actor_for(session, carla, org)

    def visible(actor):
        return {c.id for col_ in board.board(session, actor, board.BoardFilters()).columns
                for c in col_.cards}

    assert visible(carla_actor) == {str(mine.id), str(shop["lead"].id)}
    assert visible(manager) == {str(mine.id), str(theirs.id), str(shop["lead"].id)}
    with pytest.raises(NotFound):
        actions.move(session, carla_actor, theirs.id, stages(session, org)[1].id)
    with pytest.raises(InvalidInput):  # a consultant cannot give a lead to someone else
        actions.set_owner(session, carla_actor, shop["lead"].id, dani.id)
    actions.set_owner(session, carla_actor, shop["lead"].id, carla.id)  # but may take it

    pipelines.save_settings(session, shop["admin"], consultants_see_unassigned=False,
                            distribution_rule="off")
    unassigned = another_lead(session, org, "Sem dono")
    assert str(unassigned.id) not in visible(carla_actor)
    assert visible(carla_actor) == {str(mine.id), str(shop["lead"].id)}
    with pytest.raises(PermissionDenied):
        pipelines.save_settings(session, manager, consultants_see_unassigned=True,
                                distribution_rule="off")
    assert session.get(CrmSettings, org.id).consultants_see_unassigned is False


def test_another_organisations_lead_is_refused_everywhere(session, shop):
    other_org = make_org(session, "Outra")
    intruder = actor_for(session, make_user(session, other_org), other_org)
    lead, own_stage = shop["lead"], stages(session, shop["org"])[1]
    pipelines.list_pipelines(session, intruder)  # the other organisation's own pipeline
    their_stage = stages(session, other_org)[1]
    attempts = [
        lambda: actions.move(session, intruder, lead.id, their_stage.id),
        lambda: actions.move(session, intruder, lead.id, own_stage.id),
        lambda: actions.move(session, shop["admin"], lead.id, their_stage.id),
        lambda: actions.update(session, intruder, lead.id, value_cents=100),
        lambda: actions.set_owner(session, intruder, lead.id, None),
        lambda: actions.add_note(session, intruder, lead.id, "oi"),
        lambda: board.column_page(session, intruder, str(own_stage.id), board.BoardFilters()),
        lambda: board.board(session, intruder,
                            board.BoardFilters(pipeline_id=str(lead.pipeline_id))),
        lambda: pipelines.delete_stage(session, intruder, own_stage.id),
        lambda: actions.move(session, intruder, "not-a-uuid", own_stage.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    session.expire_all()
    kept = session.get(Lead, lead.id)
    assert kept.stage_id == lead.stage_id and kept.value_cents is None


def test_editing_fields_and_value_is_checked_and_recorded(session, shop, emitted):
    admin, lead = shop["admin"], shop["lead"]
    for bad in ({"email": "not-an-email"}, {"password": "x"}, {"company": "x" * 301}):
        with pytest.raises(InvalidInput):
            actions.update(session, admin, lead.id, fields=bad)
    for bad_value in (-1, 10**14, True):
        with pytest.raises(InvalidInput):
            actions.update(session, admin, lead.id, value_cents=bad_value)
    assert emitted == []
    actions.update(session, admin, lead.id, value_cents=9900,
                   fields={"email": "cliente@example.com", "company": "  Loja   Bela "})
    session.expire_all()
    edited = session.get(Lead, lead.id)
    assert edited.fields == {"email": "cliente@example.com", "company": "Loja Bela"}
    assert edited.value_cents == 9900 and edited.field_sources["email"] is None
    (event,) = emitted
    assert isinstance(event, events.LeadUpdated)
    assert set(event.changed) == {"value_cents", "fields.email", "fields.company"}


def test_admins_shape_pipelines_and_stages(session, shop):
    admin, org = shop["admin"], shop["org"]
    pipeline_id = pipelines.create_pipeline(session, admin, "Pós-venda")
    with pytest.raises(Exception) as refused:
        pipelines.create_pipeline(session, admin, "pós-venda")
    assert getattr(refused.value, "code", "") == "pipeline_exists"
    stage_id = pipelines.save_stage(session, admin, pipeline_id, name="Onboarding",
                                    color="teal", stale_days=10)
    found = [p for p in pipelines.list_pipelines(session, admin) if p.id == pipeline_id][0]
    assert [s.name for s in found.stages] == ["Novo", "Ganho", "Perdido", "Onboarding"]
    with pytest.raises(InvalidInput):
        pipelines.save_stage(session, admin, pipeline_id, name="X", color="neon")
    with pytest.raises(Exception) as refused:
        pipelines.delete_stage(session, admin, stages(session, org)[0].id)  # has the lead
    assert getattr(refused.value, "code", "") == "stage_has_leads"
    pipelines.delete_stage(session, admin, stage_id)
    consultant = actor_for(session, make_user(session, org, "consultant"), org)
    with pytest.raises(PermissionDenied):
        pipelines.save_stage(session, consultant, pipeline_id, name="Nova")

"""Teams of an organisation ("Vendas", "Suporte"): admins create, rename and delete them;
managers read them. A conversation transferred to a team is distributed only to its
consultants (see distribution and inbox.transfer_to_team)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from smarterchat.backend import events
from smarterchat.backend.models import Conversation, Membership, Team
from smarterchat.backend.security.rbac import Permission
from smarterchat.backend.services import audit
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.errors import Conflict, InvalidInput, NotFound, RecordId, parse_id

NAME_MAX = 80


@dataclass(frozen=True)
class TeamInfo:
    id: str
    name: str
    members: int  # active members


def clean_team_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInput("invalid_team_name", field="name", max=NAME_MAX)
    return name


def _announce(org_id: uuid.UUID) -> None:
    """Open inboxes re-read the transfer targets; distribution looks at the queue again."""
    events.emit(events.PresenceChanged(organization_id=org_id, teams_changed=True))


def list_teams(session: Session, actor: Actor) -> list[TeamInfo]:
    actor.require(Permission.USERS_VIEW)
    members = (select(Membership.team_id, func.count().label("n"))
               .where(Membership.organization_id == actor.require_org(), Membership.is_active,
                      col(Membership.team_id).is_not(None))
               .group_by(col(Membership.team_id)).subquery())
    rows = session.exec(select(Team, func.coalesce(members.c.n, 0))
                        .outerjoin(members, members.c.team_id == Team.id)
                        .where(Team.organization_id == actor.require_org())
                        .order_by(func.lower(Team.name))).all()
    return [TeamInfo(str(team.id), team.name, int(count)) for team, count in rows]


def find_team(session: Session, org_id: uuid.UUID, team_id: RecordId) -> Team | None:
    """One team of the organisation; None for another organisation's or a malformed id."""
    try:
        wanted = parse_id(team_id)
    except NotFound:
        return None
    return session.exec(select(Team).where(Team.id == wanted,
                                           Team.organization_id == org_id)).first()


def get_team(session: Session, org_id: uuid.UUID, team_id: RecordId) -> Team:
    """One team of the organisation; another organisation's is NotFound."""
    team = find_team(session, org_id, team_id)
    if team is None:
        raise NotFound()
    return team


def _check_free(session: Session, org_id: uuid.UUID, name: str,
                excluding: uuid.UUID | None = None) -> None:
    # "Vendas" and "vendas" would read as one team in every list: refused, like the
    # database's own (case-sensitive) unique constraint refuses exact repeats.
    query = select(Team.id).where(Team.organization_id == org_id,
                                  func.lower(Team.name) == name.lower())
    if excluding is not None:
        query = query.where(Team.id != excluding)
    if session.exec(query).first() is not None:
        raise Conflict("team_exists", field="name", name=name)


def create_team(session: Session, actor: Actor, name: str) -> TeamInfo:
    actor.require(Permission.USERS_MANAGE)
    org_id = actor.require_org()
    name = clean_team_name(name)
    _check_free(session, org_id, name)
    team = Team(organization_id=org_id, name=name)
    session.add(team)
    session.flush()
    audit.record(session, actor, "team.created", target_type="team", target_id=team.id,
                 details={"name": name})
    session.commit()
    _announce(org_id)
    return TeamInfo(str(team.id), team.name, 0)


def rename_team(session: Session, actor: Actor, team_id: RecordId, name: str) -> None:
    actor.require(Permission.USERS_MANAGE)
    team = get_team(session, actor.require_org(), team_id)
    name = clean_team_name(name)
    if name == team.name:
        return
    _check_free(session, team.organization_id, name, excluding=team.id)
    before, team.name = team.name, name
    session.add(team)
    audit.record(session, actor, "team.renamed", target_type="team", target_id=team.id,
                 details={"from": before, "to": name})
    session.commit()
    _announce(team.organization_id)


def delete_team(session: Session, actor: Actor, team_id: RecordId) -> None:
    """Its members stay, without a team; its waiting conversations join the general queue."""
    actor.require(Permission.USERS_MANAGE)
    team = get_team(session, actor.require_org(), team_id)
    # The foreign keys say SET NULL, but SQLite enforces them only when asked to: say it here.
    for model in (Membership, Conversation):
        session.exec(update(model).where(col(model.organization_id) == team.organization_id,
                                         col(model.team_id) == team.id).values(team_id=None))
    audit.record(session, actor, "team.deleted", target_type="team", target_id=team.id,
                 details={"name": team.name})
    session.delete(team)
    session.commit()
    _announce(team.organization_id)

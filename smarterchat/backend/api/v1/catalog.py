"""/api/v1 agents (and their knowledge entries), members and teams."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import (
    CONFLICT,
    NOT_FOUND,
    SOMETHING,
    ApiActor,
    Deleted,
    documented,
)
from smarterchat.backend.services import agents, teams, users

router = APIRouter(prefix="/api/v1")


class Agent(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    is_active: bool
    persona: str
    tone: str
    greeting: str
    fallback_message: str
    handoff_rules: dict[str, Any]
    model: str
    temperature: float
    channel_ids: list[str]
    updated_at: datetime


class Agents(BaseModel):
    data: list[Agent]


class Knowledge(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: str
    title: str
    preview: str
    status: str
    chunks: int


class KnowledgeList(BaseModel):
    data: list[Knowledge]


class FaqIn(BaseModel):
    question: str = Field(min_length=3, max_length=300,
                          pattern=r"^\s*[^\s\x00][^\x00]+[^\s\x00]\s*$")
    answer: str = Field(min_length=1, max_length=4000, pattern=SOMETHING)


class Created(BaseModel):
    id: str


class Member(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str = Field(validation_alias="membership_id")
    user_id: str
    name: str
    email: str
    role: str
    is_active: bool
    availability: str
    team_id: str | None


class Members(BaseModel):
    data: list[Member]


class Team(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    members: int


class Teams(BaseModel):
    data: list[Team]


class TeamIn(BaseModel):
    name: str = Field(min_length=1, max_length=80, pattern=SOMETHING)


@router.get("/agents", tags=["agents"], operation_id="listAgents", responses=documented())
def list_agents(actor: ApiActor, session: SessionDep) -> Agents:
    return Agents(data=[Agent.model_validate(a) for a in agents.list_agents(session, actor)])


@router.get("/agents/{agent_id}", tags=["agents"], operation_id="getAgent",
            responses=documented(NOT_FOUND))
def get_agent(agent_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Agent:
    return Agent.model_validate(agents.get_agent(session, actor, agent_id))


@router.get("/agents/{agent_id}/knowledge", tags=["agents"], operation_id="listKnowledge",
            responses=documented(NOT_FOUND))
def list_knowledge(agent_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> KnowledgeList:
    return KnowledgeList(data=[Knowledge.model_validate(k)
                               for k in agents.list_knowledge(session, actor, agent_id)])


@router.post("/agents/{agent_id}/knowledge", tags=["agents"], status_code=201,
             operation_id="addKnowledgeFaq", responses=documented(NOT_FOUND))
def add_faq(agent_id: uuid.UUID, body: FaqIn, actor: ApiActor, session: SessionDep) -> Created:
    """A question and its answer, ready for the agent at once."""
    return Created(id=agents.add_faq(session, actor, agent_id, body.question, body.answer))


@router.delete("/knowledge/{item_id}", tags=["agents"], operation_id="deleteKnowledge",
               responses=documented(NOT_FOUND))
def delete_knowledge(item_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Deleted:
    agents.delete_knowledge(session, actor, item_id)
    return Deleted(id=str(item_id))


@router.get("/members", tags=["members"], operation_id="listMembers", responses=documented())
def list_members(actor: ApiActor, session: SessionDep) -> Members:
    return Members(data=[Member.model_validate(m) for m in users.list_members(session, actor)])


@router.get("/teams", tags=["teams"], operation_id="listTeams", responses=documented())
def list_teams(actor: ApiActor, session: SessionDep) -> Teams:
    return Teams(data=[Team.model_validate(t) for t in teams.list_teams(session, actor)])


@router.post("/teams", tags=["teams"], status_code=201, operation_id="createTeam",
             responses=documented(CONFLICT))
def create_team(body: TeamIn, actor: ApiActor, session: SessionDep) -> Team:
    return Team.model_validate(teams.create_team(session, actor, body.name))

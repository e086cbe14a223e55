"""/api/v1/conversations: read the inbox and act on it as a consultant or manager would."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import (
    CONFLICT,
    NOT_FOUND,
    PLAIN,
    SOMETHING,
    ApiActor,
    Ok,
    Page,
    PageDep,
    documented,
)
from smarterchat.backend.services import inbox, public_api
from smarterchat.backend.services.inbox.actions import hand_to_human

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])

Status = Literal["bot", "waiting_human", "human", "resolved"]


class Conversation(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    channel_id: str
    contact_id: str
    agent_id: str | None
    status: str
    assignee_id: str | None
    team_id: str | None
    labels: list[str]
    unread_count: int
    handoff_reason: str | None
    created_at: datetime
    last_message_at: datetime
    resolved_at: datetime | None


class Message(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    conversation_id: str
    direction: str
    author_kind: str
    author_user_id: str | None
    content_type: str
    text: str
    is_private: bool
    delivery_status: str
    created_at: datetime


class TemplateIn(BaseModel):
    """An approved WhatsApp template: what may open a conversation outside the 24 h window."""

    name: str = Field(min_length=1, max_length=512, pattern=r"^[a-z0-9_]+$")
    language: str = Field(min_length=2, max_length=15, pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")
    parameters: list[Annotated[str, Field(max_length=1024, pattern=PLAIN)]] = Field(default_factory=list,
                                                                     max_length=20)


class MessageIn(BaseModel):
    """A text for the customer, or a private note for the team."""

    text: str = Field(min_length=1, max_length=4096, pattern=SOMETHING)
    private: bool = False


class Created(BaseModel):
    id: str


class AssignIn(BaseModel):
    user_id: uuid.UUID = Field(description="A member of the organisation.")


class AssignTeamIn(BaseModel):
    team_id: uuid.UUID = Field(description="The team's queue: distribution picks a person.")


class LabelsIn(BaseModel):
    labels: list[Annotated[str, Field(max_length=40, pattern=PLAIN)]] = Field(max_length=20)


def _page(found: public_api.PageOf, model: type[BaseModel]) -> dict[str, object]:
    return {"data": [model.model_validate(i, from_attributes=True) for i in found.items],
            "has_more": found.has_more}


@router.get("", operation_id="listConversations", responses=documented(NOT_FOUND))
def list_conversations(actor: ApiActor, session: SessionDep, cursor: PageDep,
                       status: Status | None = None,
                       channel_id: uuid.UUID | None = None,
                       contact_id: uuid.UUID | None = None,
                       assignee_id: uuid.UUID | None = None,
                       label: Annotated[str | None, Query(max_length=40, pattern=PLAIN)] = None,
                       ) -> Page[Conversation]:
    found = public_api.conversations(session, actor, cursor, status=status,
                                     channel_id=channel_id, contact_id=contact_id,
                                     assignee_id=assignee_id, label=label)
    return Page[Conversation].model_validate(_page(found, Conversation))


@router.get("/{conversation_id}", operation_id="getConversation",
            responses=documented(NOT_FOUND))
def get_conversation(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Conversation:
    return Conversation.model_validate(public_api.conversation(session, actor, conversation_id),
                                       from_attributes=True)


@router.get("/{conversation_id}/messages", operation_id="listConversationMessages",
            responses=documented(NOT_FOUND))
def list_messages(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep,
                  cursor: PageDep) -> Page[Message]:
    found = public_api.messages(session, actor, conversation_id, cursor)
    return Page[Message].model_validate(_page(found, Message))


@router.post("/{conversation_id}/messages", status_code=201, operation_id="sendMessage",
             responses=documented(NOT_FOUND, CONFLICT))
def send_message(conversation_id: uuid.UUID, body: MessageIn, actor: ApiActor,
                 session: SessionDep) -> Created:
    """Queued for the channel; a reply (not a note) takes the conversation from the AI."""
    return Created(id=inbox.reply(session, actor, conversation_id, body.text,
                                  private=body.private))


@router.post("/{conversation_id}/templates", status_code=201, operation_id="sendTemplate",
             responses=documented(NOT_FOUND, CONFLICT))
def send_template(conversation_id: uuid.UUID, body: TemplateIn, actor: ApiActor,
                  session: SessionDep) -> Created:
    return Created(id=inbox.reply(session, actor, conversation_id, "",
                                  template=body.model_dump()))


@router.post("/{conversation_id}/assign", operation_id="assignConversation",
             responses=documented(NOT_FOUND))
def assign(conversation_id: uuid.UUID, body: AssignIn, actor: ApiActor,
           session: SessionDep) -> Ok:
    inbox.transfer(session, actor, conversation_id, body.user_id)
    return Ok()


@router.post("/{conversation_id}/assign-team", operation_id="assignConversationToTeam",
             responses=documented(NOT_FOUND))
def assign_team(conversation_id: uuid.UUID, body: AssignTeamIn, actor: ApiActor,
                session: SessionDep) -> Ok:
    inbox.transfer_to_team(session, actor, conversation_id, body.team_id)
    return Ok()


@router.post("/{conversation_id}/handoff", operation_id="handConversationToHuman",
             responses=documented(NOT_FOUND, CONFLICT))
def handoff(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Ok:
    """The AI stops; the conversation waits in the queue for a person."""
    hand_to_human(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/return-to-ai", operation_id="returnConversationToAI",
             responses=documented(NOT_FOUND, CONFLICT))
def return_to_ai(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.return_to_ai(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/resolve", operation_id="resolveConversation",
             responses=documented(NOT_FOUND))
def resolve(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.resolve(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/reopen", operation_id="reopenConversation",
             responses=documented(NOT_FOUND, CONFLICT))
def reopen(conversation_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.reopen(session, actor, conversation_id)
    return Ok()


@router.put("/{conversation_id}/labels", operation_id="setConversationLabels",
            responses=documented(NOT_FOUND))
def set_labels(conversation_id: uuid.UUID, body: LabelsIn, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.set_labels(session, actor, conversation_id, body.labels)
    return Ok()

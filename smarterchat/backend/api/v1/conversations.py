"""/api/v1/conversations: read the inbox and act on it as a consultant or manager would."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import (
    CONFLICT,
    NOT_FOUND,
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


class Template(BaseModel):
    name: str = Field(min_length=1, max_length=512)
    language: str = Field(min_length=2, max_length=15)
    parameters: list[str] = Field(default_factory=list, max_length=20)


class MessageIn(BaseModel):
    """A text (or a private note), or an approved WhatsApp template outside the 24 h window."""

    text: str = Field("", max_length=4096)
    private: bool = False
    template: Template | None = None

    @model_validator(mode="after")
    def _something(self) -> MessageIn:
        if not self.text.strip() and self.template is None:
            raise ValueError("text or template is required")
        return self


class Created(BaseModel):
    id: str


class AssignIn(BaseModel):
    """To a member (``user_id``) or to a team's queue (``team_id``): exactly one."""

    user_id: str | None = Field(None, max_length=36)
    team_id: str | None = Field(None, max_length=36)

    @model_validator(mode="after")
    def _one(self) -> AssignIn:
        if (self.user_id is None) == (self.team_id is None):
            raise ValueError("give user_id or team_id")
        return self


class LabelsIn(BaseModel):
    labels: list[Annotated[str, Field(max_length=40)]] = Field(max_length=20)


def _page(found: public_api.PageOf, model: type[BaseModel]) -> dict[str, object]:
    return {"data": [model.model_validate(i, from_attributes=True) for i in found.items],
            "has_more": found.has_more}


@router.get("", operation_id="listConversations", responses=documented())
def list_conversations(actor: ApiActor, session: SessionDep, cursor: PageDep,
                       status: Status | None = None,
                       channel_id: Annotated[str | None, Query(max_length=36)] = None,
                       contact_id: Annotated[str | None, Query(max_length=36)] = None,
                       assignee_id: Annotated[str | None, Query(max_length=36)] = None,
                       label: Annotated[str | None, Query(max_length=40)] = None,
                       ) -> Page[Conversation]:
    found = public_api.conversations(session, actor, cursor, status=status,
                                     channel_id=channel_id, contact_id=contact_id,
                                     assignee_id=assignee_id, label=label)
    return Page[Conversation].model_validate(_page(found, Conversation))


@router.get("/{conversation_id}", operation_id="getConversation",
            responses=documented(NOT_FOUND))
def get_conversation(conversation_id: str, actor: ApiActor, session: SessionDep) -> Conversation:
    return Conversation.model_validate(public_api.conversation(session, actor, conversation_id),
                                       from_attributes=True)


@router.get("/{conversation_id}/messages", operation_id="listConversationMessages",
            responses=documented(NOT_FOUND))
def list_messages(conversation_id: str, actor: ApiActor, session: SessionDep,
                  cursor: PageDep) -> Page[Message]:
    found = public_api.messages(session, actor, conversation_id, cursor)
    return Page[Message].model_validate(_page(found, Message))


@router.post("/{conversation_id}/messages", status_code=201, operation_id="sendMessage",
             responses=documented(NOT_FOUND, CONFLICT))
def send_message(conversation_id: str, body: MessageIn, actor: ApiActor,
                 session: SessionDep) -> Created:
    """Queued for the channel; a reply (not a note) takes the conversation from the AI."""
    template = body.template.model_dump() if body.template else None
    return Created(id=inbox.reply(session, actor, conversation_id, body.text,
                                  private=body.private, template=template))


@router.post("/{conversation_id}/assign", operation_id="assignConversation",
             responses=documented(NOT_FOUND))
def assign(conversation_id: str, body: AssignIn, actor: ApiActor, session: SessionDep) -> Ok:
    if body.user_id is not None:
        inbox.transfer(session, actor, conversation_id, body.user_id)
    else:
        inbox.transfer_to_team(session, actor, conversation_id, str(body.team_id))
    return Ok()


@router.post("/{conversation_id}/handoff", operation_id="handConversationToHuman",
             responses=documented(NOT_FOUND, CONFLICT))
def handoff(conversation_id: str, actor: ApiActor, session: SessionDep) -> Ok:
    """The AI stops; the conversation waits in the queue for a person."""
    hand_to_human(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/return-to-ai", operation_id="returnConversationToAI",
             responses=documented(NOT_FOUND, CONFLICT))
def return_to_ai(conversation_id: str, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.return_to_ai(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/resolve", operation_id="resolveConversation",
             responses=documented(NOT_FOUND))
def resolve(conversation_id: str, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.resolve(session, actor, conversation_id)
    return Ok()


@router.post("/{conversation_id}/reopen", operation_id="reopenConversation",
             responses=documented(NOT_FOUND, CONFLICT))
def reopen(conversation_id: str, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.reopen(session, actor, conversation_id)
    return Ok()


@router.put("/{conversation_id}/labels", operation_id="setConversationLabels",
            responses=documented(NOT_FOUND))
def set_labels(conversation_id: str, body: LabelsIn, actor: ApiActor, session: SessionDep) -> Ok:
    inbox.set_labels(session, actor, conversation_id, body.labels)
    return Ok()

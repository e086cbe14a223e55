"""/api/v1/contacts: the organisation's customers, as the channels know them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from smarterchat.backend.api.deps import SessionDep
from smarterchat.backend.api.v1.common import NOT_FOUND, PLAIN, ApiActor, Page, PageDep, documented
from smarterchat.backend.services import public_api

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])


class Contact(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    channel_id: str
    external_id: str
    name: str | None
    phone: str | None
    email: str | None
    attributes: dict[str, Any]
    created_at: datetime


@router.get("", operation_id="listContacts", responses=documented(NOT_FOUND))
def list_contacts(actor: ApiActor, session: SessionDep, cursor: PageDep,
                  phone: Annotated[str | None, Query(max_length=32, pattern=PLAIN)] = None,
                  email: Annotated[str | None, Query(max_length=254, pattern=PLAIN)] = None) -> Page[Contact]:
    found = public_api.contacts(session, actor, cursor, phone=phone, email=email)
    return Page[Contact](data=[Contact.model_validate(c) for c in found.items],
                         has_more=found.has_more)


@router.get("/{contact_id}", operation_id="getContact", responses=documented(NOT_FOUND))
def get_contact(contact_id: uuid.UUID, actor: ApiActor, session: SessionDep) -> Contact:
    return Contact.model_validate(public_api.contact(session, actor, contact_id))

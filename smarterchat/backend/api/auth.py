"""/api/v1/auth: tokens for API clients and the mobile future."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from smarterchat.backend.api.deps import CurrentActor, SessionDep, client_ip, user_agent
from smarterchat.backend.services import auth as auth_service
from smarterchat.backend.services.actors import Actor
from smarterchat.backend.services.auth import TokenPair

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
IP = Annotated[str | None, Depends(client_ip)]
UA = Annotated[str | None, Depends(user_agent)]


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class TwoFactorIn(BaseModel):
    challenge: str = Field(max_length=2000)
    code: str = Field(max_length=20)


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=200)


class SignupIn(BaseModel):
    organization_name: str = Field(max_length=120)
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class MeOut(BaseModel):
    user_id: str
    name: str
    email: str
    organization_id: str | None
    organization_name: str
    role: str | None
    is_superadmin: bool


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 (OAuth's token type, not a secret)
    expires_in: int
    user: MeOut


class LoginOut(BaseModel):
    two_factor_required: bool = False
    challenge: str | None = None
    tokens: TokensOut | None = None


def _me(actor: Actor) -> MeOut:
    return MeOut(user_id=str(actor.user_id), name=actor.name, email=actor.email,
                 organization_id=str(actor.organization_id) if actor.organization_id else None,
                 organization_name=actor.organization_name, role=actor.role,
                 is_superadmin=actor.is_superadmin)


def _tokens(pair: TokenPair) -> TokensOut:
    return TokensOut(access_token=pair.access_token, refresh_token=pair.refresh_token,
                     expires_in=pair.expires_in, user=_me(pair.actor))


@router.post("/signup", response_model=TokensOut, status_code=201)
def signup(body: SignupIn, session: SessionDep, ip: IP, ua: UA) -> TokensOut:
    return _tokens(auth_service.signup(session, **body.model_dump(), ip=ip, user_agent=ua))


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, session: SessionDep, ip: IP, ua: UA) -> LoginOut:
    result = auth_service.login(session, email=body.email, password=body.password, ip=ip,
                                user_agent=ua)
    if result.needs_two_factor:
        return LoginOut(two_factor_required=True, challenge=result.challenge)
    assert result.tokens is not None  # login answers a challenge or tokens, never neither
    return LoginOut(tokens=_tokens(result.tokens))


@router.post("/2fa", response_model=TokensOut)
def two_factor(body: TwoFactorIn, session: SessionDep, ip: IP, ua: UA) -> TokensOut:
    return _tokens(auth_service.complete_two_factor(session, challenge=body.challenge,
                                                    code=body.code, ip=ip, user_agent=ua))


@router.post("/refresh", response_model=TokensOut)
def refresh(body: RefreshIn, session: SessionDep, ip: IP, ua: UA) -> TokensOut:
    return _tokens(auth_service.refresh(session, refresh_token=body.refresh_token, ip=ip,
                                        user_agent=ua))


@router.post("/logout", status_code=204)
def logout(body: RefreshIn, session: SessionDep) -> None:
    auth_service.logout(session, refresh_token=body.refresh_token)


@router.get("/me", response_model=MeOut)
def me(actor: CurrentActor) -> MeOut:
    return _me(actor)

"""/api/v1/auth: tokens for API clients and the mobile future."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from smarterchat.backend.api.deps import (
    BearerCredentials,
    CurrentActor,
    SessionDep,
    client_ip,
    request_locale,
    user_agent,
)
from smarterchat.backend.services import accounts
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


class SignupOut(BaseModel):
    """The same answer whether or not the address has an account: look in the inbox."""

    email: str
    verification_sent: bool = True


class TokenIn(BaseModel):
    token: str = Field(max_length=200)


class ForgotIn(BaseModel):
    email: str = Field(max_length=254)


class ResetIn(BaseModel):
    token: str = Field(max_length=200)
    password: str = Field(max_length=200)


class NewAccountIn(BaseModel):
    token: str = Field(max_length=200)
    name: str = Field(max_length=120)
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


@router.post("/signup", response_model=SignupOut, status_code=202)
def signup(body: SignupIn, session: SessionDep, ip: IP, request: Request) -> SignupOut:
    """Sends the link that confirms the address; the account exists once it is opened."""
    email = accounts.start_signup(session, **body.model_dump(), ip=ip,
                                  locale=request_locale(request))
    return SignupOut(email=email)


@router.post("/signup/confirm", response_model=TokensOut, status_code=201)
def confirm_signup(body: TokenIn, session: SessionDep, ip: IP, ua: UA) -> TokensOut:
    return _tokens(accounts.confirm_signup(session, token=body.token, ip=ip, user_agent=ua))


@router.post("/password/forgot", status_code=202)
def forgot_password(body: ForgotIn, session: SessionDep, ip: IP, request: Request) -> None:
    """A reset link goes to the address if it has an account; the answer is the same."""
    accounts.request_password_reset(session, email=body.email, ip=ip,
                                    locale=request_locale(request))


@router.post("/password/reset", status_code=204)
def reset_password(body: ResetIn, session: SessionDep) -> None:
    """Sets the new password and ends every session of the account."""
    accounts.reset_password(session, token=body.token, password=body.password)


@router.post("/invitations/accept", response_model=TokensOut)
def accept_invitation(body: TokenIn, actor: CurrentActor, session: SessionDep, ip: IP,
                      ua: UA) -> TokensOut:
    """The signed-in owner of the invited address joins; tokens for that organisation."""
    return _tokens(accounts.accept_invitation(session, actor, body.token, ip=ip,
                                              user_agent=ua))


@router.post("/invitations/accept-new", response_model=TokensOut, status_code=201)
def accept_invitation_new(body: NewAccountIn, session: SessionDep, ip: IP,
                          ua: UA) -> TokensOut:
    """Accept with a new account (the link proved the address)."""
    return _tokens(accounts.accept_invitation_new_account(
        session, token=body.token, name=body.name, password=body.password, ip=ip,
        user_agent=ua))


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
def logout(body: RefreshIn, session: SessionDep, credentials: BearerCredentials) -> None:
    """Revokes the refresh token's session and refuses the access token sent with it."""
    auth_service.logout(session, refresh_token=body.refresh_token,
                        access_token=credentials.credentials if credentials else None)


@router.get("/me", response_model=MeOut)
def me(actor: CurrentActor) -> MeOut:
    return _me(actor)

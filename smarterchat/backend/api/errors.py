"""One shape for every refusal: RFC 9457 ``application/problem+json`` with a machine ``code``.

``{"type", "title", "status", "detail", "code", ...params}``; ``error`` repeats
``{"code", "message"}`` as the API answered before the public API existed, so the
clients of that shape keep working.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from smarterchat.backend.services.errors import ServiceError, TooManyAttempts
from smarterchat.i18n import error_message

PROBLEM_TYPE = "application/problem+json"
_HTTP_CODES = {400: "invalid_json", 404: "route_not_found", 405: "method_not_allowed"}


class Problem(BaseModel):
    """A refusal, as every route answers it."""

    model_config = ConfigDict(extra="allow")
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str


def message_for(code: str, params: dict[str, Any], locale: str = "en") -> str:
    return error_message(code, locale, params)


def _locale(request: Request) -> str:
    return "pt-BR" if request.headers.get("accept-language", "").lower().startswith("pt") else "en"


def problem(request: Request, status: int, code: str, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    params = params or {}
    detail = message_for(code, params, _locale(request))
    simple = {k: v for k, v in params.items() if isinstance(v, str | int)}
    body = {"type": "about:blank", "title": code.replace("_", " ").capitalize(),
            "status": status, "detail": detail, **simple, **extra, "code": code,
            "error": {"code": code, "message": detail, **simple, **extra}}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)


def install(api: FastAPI) -> None:
    @api.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = dict(getattr(exc, "headers", {}))
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.params.get("retry_after", 60))
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return problem(request, exc.status, exc.code, exc.params, headers)

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # A number past what the database holds (SQLite's OverflowError, PostgreSQL's
        # "out of range"): the request's fault, and nothing was changed.
        if isinstance(exc, DataError) and "range" not in str(exc.orig):
            raise exc
        return problem(request, 422, "invalid_input")

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(p) for p in e["loc"][1:]) for e in exc.errors()]
        return problem(request, 422, "invalid_input", fields=fields)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api/"):  # Reflex's pages answer their own way
            return await http_exception_handler(request, exc)
        code = _HTTP_CODES.get(exc.status_code, "bad_request")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed(request)
        return problem(request, exc.status_code, code, headers=headers)


def _allowed(request: Request) -> str:
    """Every method the path answers: Starlette's own 405 names only the first route's,
    and a path's methods live on several routes."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)  # PARTIAL: the path, another method
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))

"""One JSON shape for every refusal: {"error": {"code", "message", ...params}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from smarterchat.backend.services.errors import ServiceError, TooManyAttempts
from smarterchat.i18n import error_message


def message_for(code: str, params: dict[str, Any], locale: str = "en") -> str:
    return error_message(code, locale, params)


def _locale(request: Request) -> str:
    return "pt-BR" if request.headers.get("accept-language", "").lower().startswith("pt") else "en"


def install(api: FastAPI) -> None:
    @api.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        body = {"code": exc.code, "message": message_for(exc.code, exc.params, _locale(request)),
                **{k: v for k, v in exc.params.items() if isinstance(v, str | int)}}
        headers = {}
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.params.get("retry_after", 60))
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse({"error": body}, status_code=exc.status, headers=headers)

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # A number past what the database holds (SQLite's OverflowError, PostgreSQL's
        # "out of range"): the request's fault, and nothing was changed.
        if isinstance(exc, DataError) and "range" not in str(exc.orig):
            raise exc
        return JSONResponse({"error": {"code": "invalid_input", "message": message_for(
            "invalid_input", {}, _locale(request))}}, status_code=422)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(p) for p in e["loc"][1:]) for e in exc.errors()]
        return JSONResponse(
            {"error": {"code": "invalid_input", "message": message_for("invalid_input", {},
                                                                      _locale(request)),
                       "fields": fields}},
            status_code=422,
        )

"""Errors the service layer raises. ``code`` is the i18n key the UI and API show."""

from __future__ import annotations

import uuid


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, message: str | None = None,
                 **params: object) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(message or self.code)


class NotFound(ServiceError):
    """Also raised for another organisation's records: they do not exist for the caller."""

    status = 404
    code = "not_found"


class PermissionDenied(ServiceError):
    status = 403
    code = "forbidden"


class AuthError(ServiceError):
    status = 401
    code = "invalid_credentials"


class TooManyAttempts(ServiceError):
    status = 429
    code = "too_many_attempts"


class InvalidInput(ServiceError):
    status = 422
    code = "invalid_input"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


# An id as callers hold it: a string from a form or URL, or a UUID from a row.
RecordId = str | uuid.UUID


def parse_id(value: RecordId) -> uuid.UUID:
    """A record id from the outside; a malformed one is simply a record that does not exist."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound() from exc

"""A small client for Meta's Graph API (WhatsApp Cloud API and Instagram Messaging).

Base URL and version come from settings, so tests and staging point it at a fake.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx

from smarterchat.backend.channels.base import SendError
from smarterchat.backend.config import get_settings

# Graph error codes that mean "slow down", sent with HTTP 400 rather than 429.
RATE_LIMIT_CODES = {4, 17, 32, 613, 80007, 130429, 131048, 131056}


def _client() -> httpx.Client:
    return _client_for(get_settings().graph_api_timeout_seconds)


@functools.cache
def _client_for(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))


def url(path: str) -> str:
    settings = get_settings()
    if path.startswith("http://") or path.startswith("https://"):
        return path  # paging links and media URLs are absolute
    return f"{settings.graph_api_base_url.rstrip('/')}/{settings.graph_api_version}/{path.lstrip('/')}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def request(method: str, path: str, token: str | None, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = _client().request(method, url(path), headers=headers, **kwargs)
    except httpx.TimeoutException as exc:
        raise SendError("Meta did not answer in time", code="timeout", retryable=True) from exc
    except httpx.TransportError as exc:
        raise SendError(f"Meta could not be reached: {exc}", code="network",
                        retryable=True) from exc
    if response.status_code < 400:
        return response
    error: dict[str, Any] = {}
    try:
        error = response.json().get("error", {}) or {}
    except ValueError:
        pass
    code = error.get("code")
    message = error.get("message") or f"HTTP {response.status_code}"
    details = (error.get("error_data") or {}).get("details")
    if details:
        message = f"{message}: {details}"
    retryable = response.status_code == 429 or response.status_code >= 500 or \
        code in RATE_LIMIT_CODES
    raise SendError(message, code=str(code or response.status_code), retryable=retryable,
                    retry_after=_retry_after(response))


def _object(response: httpx.Response) -> dict[str, Any]:
    # Every Graph endpoint used here answers with an object; anything else is not Meta.
    data = response.json()
    if not isinstance(data, dict):
        raise SendError("Meta answered with something other than a JSON object",
                        code="bad_response")
    return data


def get_json(path: str, token: str | None, **kwargs: Any) -> dict[str, Any]:
    return _object(request("GET", path, token, **kwargs))


def post_json(path: str, token: str | None, payload: dict[str, Any]) -> dict[str, Any]:
    return _object(request("POST", path, token, json=payload))

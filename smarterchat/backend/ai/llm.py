"""OpenAI-compatible chat and embeddings through the official client.

Works with OpenAI, Azure's and any compatible server (Ollama, vLLM) through the base
URL; per-organisation key, base URL and model override the global settings. The
client retries 429/5xx/timeouts itself (``max_retries``); what still fails becomes
an ``LLMError`` that the pipeline turns into a polite handoff.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from openai.types.shared_params.response_format_json_schema import JSONSchema

from smarterchat.backend import observability
from smarterchat.backend.ai.types import Usage
from smarterchat.backend.config import get_settings


class LLMError(Exception):
    pass


@dataclass(frozen=True)
class LLMConfig:
    api_key: str
    base_url: str | None
    model: str
    embedding_model: str


def config_for(org_api_key: str | None = None, org_base_url: str | None = None,
               org_model: str | None = None) -> LLMConfig | None:
    """The organisation's own provider, else the global one; None means offline."""
    settings = get_settings()
    if org_api_key:
        return LLMConfig(org_api_key, org_base_url or settings.openai_base_url,
                         org_model or settings.openai_model, settings.openai_embedding_model)
    if settings.ai_provider == "openai" and settings.openai_api_key:
        return LLMConfig(settings.openai_api_key.get_secret_value(), settings.openai_base_url,
                         org_model or settings.openai_model, settings.openai_embedding_model)
    return None


@functools.lru_cache(maxsize=64)
def _client(api_key: str, base_url: str | None, timeout: float, retries: int) -> openai.OpenAI:
    # One client per configuration: it keeps its connections open between turns.
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout,
                         max_retries=retries)


def _wire(messages: list[dict[str, Any]]) -> list[ChatCompletionMessageParam]:
    # Prompts build plain role/content dicts; the API, not this code, judges their shape.
    return cast("list[ChatCompletionMessageParam]", messages)


class Chat:
    """Synchronous client, for tasks (and for async code through a worker thread)."""

    provider = "openai"

    def __init__(self, config: LLMConfig, model: str | None = None) -> None:
        settings = get_settings()
        self.model = model or config.model
        self.embedding_model = config.embedding_model
        self.client = _client(config.api_key, config.base_url, settings.openai_timeout_seconds,
                              settings.openai_max_retries)

    def _usage(self, response: object) -> Usage:
        u = getattr(response, "usage", None)
        return Usage(self.provider, self.model, getattr(u, "prompt_tokens", 0) or 0,
                     getattr(u, "completion_tokens", 0) or 0)

    def text(self, messages: list[dict[str, Any]], *, temperature: float = 0.3,
             max_tokens: int = 500) -> tuple[str, Usage]:
        try:
            with observability.ai_call("text"):
                response = self.client.chat.completions.create(
                    model=self.model, messages=_wire(messages), temperature=temperature,
                    max_tokens=max_tokens)
        except openai.OpenAIError as exc:
            raise LLMError(str(exc)) from exc
        return (response.choices[0].message.content or "").strip(), self._usage(response)

    def json(self, messages: list[dict[str, Any]], *, name: str, schema: dict[str, Any],
             temperature: float = 0.0) -> tuple[dict[str, Any], Usage]:
        """Structured output: the reply is JSON that matches ``schema``."""
        try:
            with observability.ai_call("json"):
                response = self.client.chat.completions.create(
                    model=self.model, messages=_wire(messages), temperature=temperature,
                    response_format=ResponseFormatJSONSchema(
                        type="json_schema",
                        json_schema=JSONSchema(name=name, schema=schema, strict=True)))
            data = json.loads(response.choices[0].message.content or "")
        except (openai.OpenAIError, ValueError) as exc:
            raise LLMError(str(exc)) from exc
        if not isinstance(data, dict):
            raise LLMError("structured output is not an object")
        return data, self._usage(response)

    def embed(self, texts: list[str]) -> tuple[list[list[float]], Usage]:
        try:
            with observability.ai_call("embed"):
                response = self.client.embeddings.create(model=self.embedding_model,
                                                         input=texts)
        except openai.OpenAIError as exc:
            raise LLMError(str(exc)) from exc
        u = getattr(response, "usage", None)
        usage = Usage(self.provider, self.embedding_model, getattr(u, "prompt_tokens", 0) or 0)
        return [d.embedding for d in sorted(response.data, key=lambda d: d.index)], usage

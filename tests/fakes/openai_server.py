"""A local fake of an OpenAI-compatible server: chat completions (text and JSON-schema
structured output, with usage figures) and embeddings, in the real wire format.

Tests program it: what the classification says, what the reply says, a delay before
answering ("slow" mode), or 429/500 answers for the next N calls.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

DEFAULT_CLASSIFICATION: dict[str, Any] = {
    "intent": "support", "wants_human": False, "sentiment": "neutral", "confidence": 0.9,
    "language": "pt-BR",
    "lead": {"name": None, "email": None, "phone": None, "company": None, "interest": None,
             "budget": None, "urgency": None, "temperature": "cold", "reason": ""},
}


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.classification: dict[str, Any] = json.loads(json.dumps(DEFAULT_CLASSIFICATION))
        self.reply = "Entregamos em todo o Brasil em até 5 dias úteis."
        self.suggestions = ["Posso ajudar com mais alguma coisa?", "Vou verificar para você."]
        self.delay = 0.0
        self._faults: list[int] = []
        self._ids = itertools.count(1)
        self.in_flight = threading.Event()  # set while a completion is being "generated"
        self.app = self._build()
        self.server: uvicorn.Server | None = None
        self.base_url = ""

    def fail_next(self, count: int, status: int) -> None:
        self._faults.extend([status] * count)

    def completions(self, kind: str | None = None) -> list[dict]:
        found = [r for r in self.requests if r["path"].endswith("/chat/completions")]
        if kind is None:
            return found
        return [r for r in found if (r["body"].get("response_format") or {}).get(
            "json_schema", {}).get("name", "text") == kind]

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def faults(request: Request, call_next):
            body = await request.body()
            self.requests.append({"path": request.url.path, "body": json.loads(body or b"{}"),
                                  "headers": dict(request.headers), "at": time.monotonic()})
            if self._faults:
                status = self._faults.pop(0)
                headers = {"retry-after": "0"} if status == 429 else {}
                return JSONResponse({"error": {"message": f"fake {status}", "type": "server_error",
                                               "code": None}}, status_code=status,
                                    headers=headers)
            return await call_next(request)

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            body = await request.json()
            self.in_flight.set()
            try:
                if self.delay:
                    await asyncio.sleep(self.delay)
            finally:
                self.in_flight.clear()
            schema = (body.get("response_format") or {}).get("json_schema") or {}
            if schema.get("name") == "classification":
                content = json.dumps(self.classification)
            elif schema.get("name") == "turn":  # classification with the reply in it
                content = json.dumps({**self.classification, "reply": self.reply})
            elif schema.get("name") == "suggestions":
                content = json.dumps({"replies": self.suggestions})
            else:
                content = self.reply
            prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4
            completion = len(content) // 4 + 1
            return {
                "id": f"chatcmpl-{next(self._ids)}", "object": "chat.completion",
                "created": int(time.time()), "model": body.get("model", "fake"),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                          "total_tokens": prompt + completion},
            }

        @app.post("/v1/embeddings")
        async def embeddings(request: Request):
            body = await request.json()
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = []
            for i, text in enumerate(inputs):
                digest = hashlib.sha256(str(text).lower().encode()).digest()
                data.append({"object": "embedding", "index": i,
                             "embedding": [b / 255 for b in digest[:16]]})
            tokens = sum(len(str(t)) // 4 + 1 for t in inputs)
            return {"object": "list", "data": data, "model": body.get("model"),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}

        return app

    def start(self, loop: str = "asyncio") -> FakeOpenAI:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        # Tests keep asyncio's loop: uvloop's policy would leak into the test's own thread.
        # A benchmark (no asyncio of its own) asks for uvloop, which answers faster.
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning",
                                                    loop=loop, lifespan="off"))
        threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True

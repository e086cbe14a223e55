"""A local fake of Meta's Graph API, and builders for webhook payloads in Meta's shapes.

The fake speaks the real wire format for what SmarterChat uses (send message, media
upload, metadata and download, Instagram's attachment upload, message templates with
paging, account look-up), records
every request, and can be told to answer 429, 500 or to hang, for the next N calls.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

VERSION = "v21.0"


@dataclass
class Upload:
    """A multipart file upload as Meta would receive it."""

    path: str
    fields: dict[str, str]
    filename: str
    content_type: str
    data: bytes
    media_id: str


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class FakeGraph:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.uploads: list[Upload] = []
        self._faults: list[tuple[str, float]] = []  # ("429"|"500"|"hang"|"131047", value)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.arrived = threading.Condition()
        self.templates = [
            {"name": f"template_{i}", "language": "pt_BR", "status": "APPROVED" if i % 3 else
             "REJECTED", "category": "UTILITY", "id": str(1000 + i),
             "components": [{"type": "BODY", "text": "Olá {{1}}, seu pedido {{2}} saiu."}]}
            for i in range(7)
        ]
        self.app = self._build()
        self.server: uvicorn.Server | None = None
        self.base_url = ""

    # ---------------------------------------------------------------- control
    def fail_next(self, count: int, kind: str, value: float = 0) -> None:
        with self._lock:
            self._faults.extend([(kind, value)] * count)

    def sends(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/messages")]

    def wait_for_sends(self, count: int, timeout: float = 20) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.sends()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} sends, got {len(self.sends())}")
                self.arrived.wait(left)
        return self.sends()

    # ---------------------------------------------------------------- server
    def _fault(self) -> tuple[str, float] | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def record(request: Request, call_next):
            raw = await request.body()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            if not request.url.path.startswith("/media-bytes/"):
                self.requests.append(Recorded(request.method, request.url.path, body,
                                              dict(request.headers)))
            fault = self._fault() if request.url.path.startswith(f"/{VERSION}/") else None
            if fault:
                kind, value = fault
                if kind == "hang":
                    import asyncio

                    await asyncio.sleep(value)
                elif kind == "429":
                    return JSONResponse({"error": {"message": "Too many requests", "code": 4}},
                                        status_code=429, headers={"Retry-After": str(value)})
                elif kind == "500":
                    return JSONResponse({"error": {"message": "Internal error", "code": 1}},
                                        status_code=500)
                else:
                    return JSONResponse({"error": {
                        "message": f"(#{kind}) Message failed", "type": "OAuthException",
                        "code": int(kind), "error_data": {"details": "Recipient not available"},
                        "fbtrace_id": "AbC"}}, status_code=400)
            response = await call_next(request)
            with self.arrived:
                self.arrived.notify_all()
            return response

        @app.post(f"/{VERSION}/{{account}}/messages")
        async def send(account: str, request: Request):
            body = await request.json()
            n = next(self._ids)
            if body.get("messaging_product") == "whatsapp":
                # A business-scoped user id is addressed as "recipient", a phone as "to".
                contact = {"input": body["to"], "wa_id": body["to"]} if "to" in body else \
                    {"input": body["recipient"], "user_id": body["recipient"]}
                return {"messaging_product": "whatsapp", "contacts": [contact],
                        "messages": [{"id": f"wamid.FAKE{n:06d}"}]}
            return {"recipient_id": body["recipient"]["id"], "message_id": f"mid.FAKE{n:06d}"}

        async def upload(request: Request, file_field: str, prefix: str) -> Upload | Response:
            form = await request.form()
            file = form.get(file_field)
            if file is None or isinstance(file, str):
                return JSONResponse({"error": {"message": f"(#100) Param {file_field} is "
                                               "required", "type": "OAuthException",
                                               "code": 100}}, status_code=400)
            recorded = Upload(request.url.path, {k: v for k, v in form.items()
                                                 if isinstance(v, str)},
                              file.filename or "", file.content_type or "", await file.read(),
                              f"{prefix}{next(self._ids):06d}")
            self.uploads.append(recorded)
            return recorded

        @app.post(f"/{VERSION}/{{phone_id}}/media")
        async def whatsapp_media(phone_id: str, request: Request):
            recorded = await upload(request, "file", "wamedia.")
            if isinstance(recorded, Response):
                return recorded
            if recorded.fields.get("messaging_product") != "whatsapp":
                return JSONResponse({"error": {"message": "(#100) messaging_product is required",
                                               "code": 100}}, status_code=400)
            return {"id": recorded.media_id}

        @app.post(f"/{VERSION}/{{account}}/message_attachments")
        async def instagram_attachment(account: str, request: Request):
            recorded = await upload(request, "filedata", "igatt.")
            if isinstance(recorded, Response):
                return recorded
            return {"attachment_id": recorded.media_id}

        @app.get(f"/{VERSION}/{{waba}}/message_templates")
        async def templates(waba: str, request: Request, after: str = "0", limit: int = 3):
            start = int(after)
            page = self.templates[start:start + 3]
            answer: dict = {"data": page, "paging": {"cursors": {"before": str(start),
                                                                 "after": str(start + 3)}}}
            if start + 3 < len(self.templates):
                answer["paging"]["next"] = (f"{self.base_url}/{VERSION}/{waba}/message_templates"
                                            f"?after={start + 3}&limit=3")
            return answer

        @app.get(f"/{VERSION}/{{object_id}}")
        async def get_object(object_id: str):
            if object_id.startswith("media"):
                return {"url": f"{self.base_url}/media-bytes/{object_id}", "mime_type":
                        "image/jpeg", "sha256": "x", "file_size": 12, "id": object_id,
                        "messaging_product": "whatsapp"}
            return {"display_phone_number": "+55 11 4000-0000", "verified_name": "Loja Fake",
                    "id": object_id}

        @app.get("/media-bytes/{object_id}")
        async def media(object_id: str):
            return Response(b"\xff\xd8\xff fake jpeg " + object_id.encode(),
                            media_type="image/jpeg")

        return app

    def start(self, loop: str = "asyncio") -> FakeGraph:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        # Tests keep asyncio's loop: uvloop's policy would leak into the test's own thread.
        # A benchmark (no asyncio of its own) asks for uvloop, which answers faster.
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", loop=loop)
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True


# -------------------------------------------------------------------- payloads

def sign(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_envelope(phone_number_id: str, value: dict, waba_id: str = "102290129340398") -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": waba_id, "changes": [{
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550783881",
                               "phone_number_id": phone_number_id}, **value},
        "field": "messages"}]}]}


def whatsapp_message(phone_number_id: str, wamid: str, *, sender: str = "5511988887777",
                     name: str = "Maria Silva", kind: str = "text", body: Any = None,
                     timestamp: int | None = None) -> dict:
    content = body if body is not None else {"body": "Olá, vocês entregam em Campinas?"}
    return whatsapp_envelope(phone_number_id, {
        "contacts": [{"profile": {"name": name}, "wa_id": sender}],
        "messages": [{"from": sender, "id": wamid, "timestamp": str(timestamp or int(time.time())),
                      "type": kind, kind: content}]})


def whatsapp_status(phone_number_id: str, wamid: str, status: str, *,
                    recipient: str = "5511988887777", error: dict | None = None,
                    pricing: dict | None = None) -> dict:
    item: dict = {"id": wamid, "status": status, "timestamp": str(int(time.time())),
                  "recipient_id": recipient}
    if error:
        item["errors"] = [error]
    if pricing:
        item["pricing"] = pricing
    return whatsapp_envelope(phone_number_id, {"statuses": [item]})


def instagram_event(account_id: str, messaging: list[dict]) -> dict:
    return {"object": "instagram", "entry": [{"id": account_id, "time": int(time.time() * 1000),
                                              "messaging": messaging}]}


def instagram_message(account_id: str, mid: str, *, sender: str = "17841400000000001",
                      text: str = "Oi! Tem no tamanho M?", echo: bool = False,
                      **message: Any) -> dict:
    msg: dict = {"mid": mid, "text": text, **message}
    if echo:
        msg["is_echo"] = True
    who = {"sender": {"id": account_id if echo else sender},
           "recipient": {"id": sender if echo else account_id}}
    return instagram_event(account_id, [{**who, "timestamp": int(time.time() * 1000),
                                         "message": msg}])

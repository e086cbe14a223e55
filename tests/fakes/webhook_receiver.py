"""A local webhook receiver on loopback that verifies every delivery with the official
``standardwebhooks`` package, as an integrator's server would.

Tests program the answers (a queue of status codes, with optional headers; 200 when the
queue is empty) and read what arrived: the headers, the body and whether it verified.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import standardwebhooks
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass(frozen=True)
class Received:
    path: str
    webhook_id: str
    timestamp: str
    signature: str
    body: dict[str, Any]
    verified: bool  # with the secret the receiver was given


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.received: list[Received] = []
        self.answers: list[tuple[int, dict[str, str]]] = []
        self.always: tuple[int, dict[str, str]] | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.record(self.path, dict(self.headers.items()), raw)
                status, headers = receiver.next_answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                answer = json.dumps({"status": status}).encode()
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def record(self, path: str, headers: dict[str, str], raw: bytes) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            standardwebhooks.Webhook(self.secret).verify(raw, lowered)
            verified = True
        except WebhookVerificationError:
            verified = False
        self.received.append(Received(path, lowered.get("webhook-id", ""),
                                      lowered.get("webhook-timestamp", ""),
                                      lowered.get("webhook-signature", ""),
                                      json.loads(raw or b"{}"), verified))

    def next_answer(self, path: str) -> tuple[int, dict[str, str]]:
        if path.startswith("/redirect"):
            return 307, {"location": path.removeprefix("/redirect")}
        if self.answers:
            return self.answers.pop(0)
        return self.always or (200, {})

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

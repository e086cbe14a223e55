"""Benchmark of the channel pipeline, as served in production. Prints, in one run:

1. signed-webhook ingest throughput and p50/p99 latency (wrk, 50 connections), next to a
   bare FastAPI endpoint that only reads the body, served the same way on the same
   machine; rounds alternate and the median ratio is reported;
2. the time from a webhook to the reply's POST arriving at the fake Graph API, the AI
   being a fake OpenAI-compatible server that answers at once (p50/p99 over paced
   webhooks), and
3. the same with the fake model answering after a fixed delay: the pipeline's overhead is
   the total minus the model's time (each AI turn makes two calls: classify, then reply).

Needs PostgreSQL (TEST_POSTGRES_URL), redis-server and wrk (apt-get install wrk).
Usage: .venv/bin/python -m bench.webhooks [--seconds 8] [--rounds 3] [--messages 200]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import _create_pg_database, _drop_pg_database, _migrate  # noqa: E402
from tests.fakes import meta  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.fakes.pipeline import Pipeline, _wait_http, free_port  # noqa: E402

SECRET = "bench-app-secret-0123456789"
PHONE_ID = "106540352242922"

BARE_APP = '''
from fastapi import FastAPI, Request
app = FastAPI()

@app.post("/webhooks/whatsapp/{channel_id}")
async def receive(channel_id: str, request: Request):
    await request.body()
    return {"status": "received"}

@app.get("/healthz")
async def healthz():
    return {"status": "ok"}
'''


def wrk(url: str, body: bytes, headers: dict[str, str], seconds: int) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua_headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(body.decode())}\n'
                      f"{lua_headers}\n")
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-s", str(script),
                          url], capture_output=True, text=True, check=True).stdout
    script.unlink()

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms("50%"), "p99": ms("99%"), "non2xx": int(errors.group(1)) if errors else 0}


def start_bare(env: dict) -> tuple[subprocess.Popen, str]:
    folder = Path(tempfile.mkdtemp(prefix="sc-bare-"))
    (folder / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bare_app:app", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning",
                             "--no-access-log"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait_http(f"{url}/healthz")
    return proc, url


def make_channel() -> uuid.UUID:
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent, Channel, Organization

    with session_scope() as session:
        org = Organization(name="Bench", slug=f"bench-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        agent = Agent(organization_id=org.id, name="Bench agent",
                      business_facts="Entregamos em todo o Brasil.")
        session.add(agent)
        session.flush()
        channel = Channel(organization_id=org.id, kind="whatsapp", name="WA", agent_id=agent.id,
                          external_id=PHONE_ID, access_token="token", app_secret=SECRET)
        session.add(channel)
    return channel.id


def wait_drained(timeout: float = 600) -> float:
    """Seconds until no stored event waits for processing (the e2e run starts idle)."""
    from sqlmodel import func, select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import InboundEvent

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with session_scope() as session:
            left = session.exec(select(func.count()).select_from(InboundEvent)
                                .where(InboundEvent.status == "pending")).one()
        if not left:
            return time.monotonic() - start
        time.sleep(0.5)
    raise RuntimeError("backlog not drained")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def end_to_end(pipeline: Pipeline, channel_id: uuid.UUID, count: int, rate: float,
               first: int = 0) -> list[float]:
    """Pace webhooks at ``rate``/s, each from a new customer; time until its reply arrives."""
    sent_at: dict[str, float] = {}
    start_sends = len(pipeline.graph.sends())
    with httpx.Client() as client:
        for i in range(count):
            sender = f"5511{700000000 + first + i}"
            body = json.dumps(meta.whatsapp_message(PHONE_ID, f"wamid.E2E{i}-{uuid.uuid4().hex}",
                                                    sender=sender)).encode()
            sent_at[sender] = time.monotonic()
            client.post(f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", content=body,
                        headers={"X-Hub-Signature-256": meta.sign(body, SECRET),
                                 "Content-Type": "application/json"})
            time.sleep(max(0.0, sent_at[sender] + 1 / rate - time.monotonic()))
    sends = pipeline.graph.wait_for_sends(start_sends + count, timeout=120)[start_sends:]
    return [(r.at - sent_at[r.body["to"]]) * 1000 for r in sends if r.body["to"] in sent_at]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=16, help="consumer threads")
    parser.add_argument("--model-delay", type=float, default=0.3,
                        help="seconds the fake model takes per call in the last phase")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    url = _create_pg_database()
    _migrate(url)
    channel_id = make_channel()
    model = FakeOpenAI().start(loop="uvloop")
    pipeline = Pipeline(url, workers=args.workers, extra_env={
        "SMARTERCHAT_LOG_LEVEL": "ERROR", "SMARTERCHAT_AI_PROVIDER": "openai",
        "SMARTERCHAT_OPENAI_API_KEY": "sk-bench", "SMARTERCHAT_OPENAI_BASE_URL": model.base_url,
        # Measure the pipeline, not the deliberate pause that gathers a burst into one turn.
        "SMARTERCHAT_AI_COALESCE_SECONDS": "0"}, fake_loop="uvloop").start()
    bare, bare_url = start_bare(pipeline.env())
    try:
        body = json.dumps(meta.whatsapp_message(PHONE_ID, "wamid.LOAD")).encode()
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": meta.sign(body, SECRET)}
        # Warm both servers (imports, connection pools, the channel-secret cache).
        wrk(f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", body, headers, 2)
        wrk(f"{bare_url}/webhooks/whatsapp/x", body, headers, 2)
        rows = []
        for _ in range(args.rounds):
            app = wrk(f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", body, headers,
                      args.seconds)
            base = wrk(f"{bare_url}/webhooks/whatsapp/x", body, headers, args.seconds)
            rows.append((app, base))
            time.sleep(2)  # let the consumers drain between rounds
        print(f"\nWebhook ingest (wrk -t2 -c50, {args.seconds}s x {args.rounds} rounds, "
              f"{len(body)} B signed WhatsApp body)")
        print(f"{'round':>5} {'app req/s':>10} {'bare req/s':>11} {'ratio':>6} "
              f"{'app p50':>8} {'app p99':>8} {'bare p50':>9} {'bare p99':>9} {'non-2xx':>8}")
        for i, (app, base) in enumerate(rows, 1):
            print(f"{i:>5} {app['rps']:>10.0f} {base['rps']:>11.0f} "
                  f"{app['rps'] / base['rps']:>6.2f} {app['p50']:>7.1f}ms {app['p99']:>7.1f}ms "
                  f"{base['p50']:>8.1f}ms {base['p99']:>8.1f}ms {app['non2xx']:>8}")
        ratio = statistics.median(a["rps"] / b["rps"] for a, b in rows)
        print(f"median throughput ratio app/bare: {ratio:.2f} "
              f"(app {statistics.median(a['rps'] for a, _ in rows):.0f} req/s, "
              f"bare {statistics.median(b['rps'] for _, b in rows):.0f} req/s)")

        drained = wait_drained()
        print(f"(the consumers worked off the load's backlog {drained:.1f} s after it ended)")
        latencies = end_to_end(pipeline, channel_id, args.messages, args.rate)
        print(f"\nWebhook -> outbound POST at the fake Graph API, model answering at once "
              f"({len(latencies)} messages at {args.rate:.0f}/s, {args.workers} consumer threads)")
        print(f"p50 {pct(latencies, 0.5):.1f} ms   p99 {pct(latencies, 0.99):.1f} ms   "
              f"max {max(latencies):.1f} ms")

        model.delay = args.model_delay
        model_ms = 2 * args.model_delay * 1000
        latencies = end_to_end(pipeline, channel_id, args.messages, args.rate, first=10_000)
        overhead = [t - model_ms for t in latencies]
        print(f"\nThe same with the model taking {args.model_delay * 1000:.0f} ms per call "
              f"(2 calls per turn = {model_ms:.0f} ms of model time)")
        print(f"total p50 {pct(latencies, 0.5):.1f} ms   p99 {pct(latencies, 0.99):.1f} ms")
        print(f"overhead (total - model time) p50 {pct(overhead, 0.5):.1f} ms   "
              f"p99 {pct(overhead, 0.99):.1f} ms")
    finally:
        bare.terminate()
        pipeline.stop()
        model.stop()
        from smarterchat.backend import db

        db.reset()
        _drop_pg_database(url)


if __name__ == "__main__":
    main()

"""Benchmark of the channel pipeline, as served in production, each message a new one.

Prints, in one run, every row of issue 11's table:

1. webhook ingest with the consumers stopped (wrk -t2 -c50, 1 KB signed WhatsApp bodies,
   each request a new customer and message id), next to the minimal reference path
   (bench/reference_app.py: HMAC + async INSERT + Huey push) and a bare FastAPI endpoint,
   all three served the same way (uvicorn, one worker), rounds alternated; req/s, p50/p99,
   server CPU per request and the median ratio to the reference;
2. webhook -> reply POST at the fake Graph API with an instant fake model, paced;
3. the same with the model answering after --model-delay: the overhead is the total minus
   the model's time (the model's calls per turn are counted, not assumed);
4. the same with the default coalescing wait (SMARTERCHAT_AI_COALESCE_SECONDS unset);
5. a backlog: --burst-seconds of about --burst-rate req/s with the consumers running, then
   the time until every event is processed and every reply posted, and the consumers' CPU
   per inbound message.

Needs PostgreSQL (TEST_POSTGRES_URL), redis-server and wrk (apt-get install wrk).
Usage: .venv/bin/python -m bench.webhooks [--seconds 8] [--rounds 3] [--messages 200]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
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
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes import meta  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.fakes.pipeline import Pipeline, _wait_http, free_port  # noqa: E402
from tests.support import create_pg_database as _create_pg_database  # noqa: E402
from tests.support import drop_pg_database as _drop_pg_database  # noqa: E402
from tests.support import migrate as _migrate  # noqa: E402

SECRET = "bench-app-secret-0123456789"
PHONE_ID = "106540352242922"
BODY_BYTES = 1024

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

# Each wrk thread takes every other line of the file (signature, space, body), so no two
# requests of a run carry the same message; an optional delay paces each connection.
WRK_LUA = '''
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
function init(args)
  sigs, bodies, pos = {}, {}, 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % 2 == tid then
      local sp = line:find(" ", 1, true)
      sigs[#sigs + 1] = line:sub(1, sp - 1)
      bodies[#bodies + 1] = line:sub(sp + 1)
    end
    i = i + 1
  end
  pause = tonumber(args[2] or "0")
end
function delay()
  return pause
end
function request()
  pos = pos + 1
  if pos > #bodies then pos = 1 end
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                   ["X-Hub-Signature-256"] = sigs[pos]}, bodies[pos])
end
'''


def signed_bodies(count: int, tag: str) -> Path:
    """``count`` 1 KB WhatsApp bodies, each from a new customer with a new message id."""
    template = json.dumps(meta.whatsapp_message(
        PHONE_ID, "wamid.@@ID@@", sender="@@FROM@@", name="Cliente @@FROM@@",
        body={"body": "Olá, vocês entregam em Campinas? "}))
    pad = BODY_BYTES - len(template.encode()) + 2 * len("@@ID@@") - 30
    template = template.replace("Campinas? ", "Campinas? " + "x" * max(0, pad))
    secret = SECRET.encode()
    path = Path(tempfile.mkstemp(prefix=f"sc-bodies-{tag}-", suffix=".txt")[1])
    with path.open("w") as out:
        for i in range(count):
            body = template.replace("@@ID@@", f"{tag}{i:08d}").replace(
                "@@FROM@@", f"55{tag_number(tag)}{i:08d}")
            sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
            out.write(f"sha256={sig} {body}\n")
    return path


def tag_number(tag: str) -> str:
    return str(int(hashlib.sha256(tag.encode()).hexdigest(), 16) % 900 + 100)


def wrk(url: str, bodies: Path, seconds: int, pause_ms: int = 0,
        server: psutil.Process | None = None) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_LUA)
    cpu_before = _cpu(server)
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-s", str(script),
                          url, "--", str(bodies), str(pause_ms)],
                         capture_output=True, text=True, check=True).stdout
    cpu = _cpu(server) - cpu_before
    script.unlink()

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms("50%"), "p99": ms("99%"), "non2xx": int(errors.group(1)) if errors else 0,
            "requests": total, "cpu_ms": cpu * 1000 / max(total, 1)}


def _cpu(proc: psutil.Process | None) -> float:
    """CPU seconds of a process and its children (uvicorn, huey_consumer)."""
    if proc is None:
        return 0.0
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def serve(module: str, folder: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", module, "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning", "--no-access-log"],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
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


def pending_events() -> int:
    from sqlmodel import func, select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import InboundEvent

    with session_scope() as session:
        return session.exec(select(func.count()).select_from(InboundEvent)
                            .where(InboundEvent.status == "pending")).one()


def set_aside_pending() -> int:
    """The ingest rounds' events are not worth answering: keep them out of later phases."""
    from sqlalchemy import text

    from smarterchat.backend.db import session_scope

    with session_scope() as session:
        return session.execute(text("UPDATE inbound_event SET status = 'ignored' "
                                    "WHERE status = 'pending'")).rowcount


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def end_to_end(pipeline: Pipeline, channel_id: uuid.UUID, count: int, rate: float,
               tag: str) -> list[float]:
    """Pace webhooks at ``rate``/s, each from a new customer; time until its reply arrives."""
    sent_at: dict[str, float] = {}
    start_sends = len(pipeline.graph.sends())
    with httpx.Client() as client:
        for i in range(count):
            sender = f"55{tag_number(tag)}{i:08d}"
            body = json.dumps(meta.whatsapp_message(PHONE_ID, f"wamid.{tag}{i}",
                                                    sender=sender)).encode()
            sent_at[sender] = time.monotonic()
            client.post(f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", content=body,
                        headers={"X-Hub-Signature-256": meta.sign(body, SECRET),
                                 "Content-Type": "application/json"})
            time.sleep(max(0.0, sent_at[sender] + 1 / rate - time.monotonic()))
    sends = pipeline.graph.wait_for_sends(start_sends + count, timeout=180)[start_sends:]
    return [(r.at - sent_at[r.body["to"]]) * 1000 for r in sends if r.body["to"] in sent_at]


def model_calls(model: FakeOpenAI, since: int, turns: int) -> float:
    return len(model.completions()[since:]) / max(turns, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--consumers", type=int, default=2, help="consumer processes")
    parser.add_argument("--workers", type=int, default=16, help="threads per consumer")
    parser.add_argument("--model-delay", type=float, default=0.3)
    parser.add_argument("--burst-seconds", type=int, default=10)
    parser.add_argument("--burst-rate", type=int, default=650)
    parser.add_argument("--ingest-only", action="store_true", help="row 1 only")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    url = _create_pg_database()
    _migrate(url)
    channel_id = make_channel()
    model = FakeOpenAI().start(loop="uvloop")
    extra = {"SMARTERCHAT_LOG_LEVEL": "ERROR", "SMARTERCHAT_AI_PROVIDER": "openai",
             "SMARTERCHAT_OPENAI_API_KEY": "sk-bench", "SMARTERCHAT_OPENAI_BASE_URL":
             model.base_url, "SMARTERCHAT_AI_COALESCE_SECONDS": "0",
             "SMARTERCHAT_AI_ONE_CALL_TURNS": "true"}
    pipeline = Pipeline(url, consumers=args.consumers, workers=args.workers, extra_env=extra,
                        fake_loop="uvloop").start()
    pipeline.stop_consumers()
    app_proc = psutil.Process(pipeline.procs[0].pid)
    folder = Path(tempfile.mkdtemp(prefix="sc-bench-"))
    (folder / "bare_app.py").write_text(BARE_APP)
    shutil.copy(ROOT / "bench" / "reference_app.py", folder / "reference_app.py")
    env = {**pipeline.env(), "REF_DATABASE_URL": url.replace("postgresql+psycopg", "postgresql"),
           "REF_REDIS_URL": pipeline.redis.url, "REF_SECRET": SECRET}
    ref, ref_url = serve("reference_app:app", folder, env)
    bare, bare_url = serve("bare_app:app", folder, env)
    servers = {"project": (f"{pipeline.base_url}/webhooks/whatsapp/{channel_id}", app_proc),
               "reference": (f"{ref_url}/webhooks/whatsapp/{channel_id}", psutil.Process(ref.pid)),
               "bare": (f"{bare_url}/webhooks/whatsapp/{channel_id}", psutil.Process(bare.pid))}
    files: list[Path] = []
    try:
        # Enough new bodies for the fastest server's round.
        per_round = 20_000 * args.seconds
        warm = signed_bodies(20_000, "warm")
        files.append(warm)
        for target, _ in servers.values():  # imports, pools, the channel-secret cache
            wrk(target, warm, 2)
        rows: list[dict[str, dict]] = []
        order = list(servers)
        for r in range(args.rounds):
            bodies = signed_bodies(per_round, f"r{r}")
            files.append(bodies)
            row = {}
            for name in order[r % 3:] + order[:r % 3]:  # alternate who goes first
                target, proc = servers[name]
                row[name] = wrk(target, bodies, args.seconds, server=proc)
            rows.append(row)
            bodies.unlink()
        set_aside_pending()
        # Their drains (one per new customer) are still queued: nothing is left for them.
        import redis

        redis.Redis.from_url(pipeline.redis.url).delete("huey.redis.smarterchat",
                                                         "huey.results.smarterchat")

        print(f"\n1. Webhook ingest, consumers stopped (wrk -t2 -c50, {args.seconds}s x "
              f"{args.rounds} rounds, {BODY_BYTES} B signed WhatsApp bodies, each new)")
        print(f"{'round':>5} {'server':>10} {'req/s':>8} {'p50':>8} {'p99':>8} {'CPU/req':>8} "
              f"{'non-2xx':>8} {'x ref':>6}")
        for i, row in enumerate(rows, 1):
            for name, m in row.items():
                print(f"{i:>5} {name:>10} {m['rps']:>8.0f} {m['p50']:>6.1f}ms {m['p99']:>6.1f}ms "
                      f"{m['cpu_ms']:>6.2f}ms {m['non2xx']:>8} "
                      f"{m['rps'] / row['reference']['rps']:>6.2f}")
        med = {name: {k: statistics.median(row[name][k] for row in rows)
                      for k in ("rps", "p50", "p99", "cpu_ms")} for name in servers}
        ratio = statistics.median(row["project"]["rps"] / row["reference"]["rps"] for row in rows)
        print(f"median: project {med['project']['rps']:.0f} req/s p50 {med['project']['p50']:.1f}"
              f" ms p99 {med['project']['p99']:.1f} ms {med['project']['cpu_ms']:.2f} ms CPU/req; "
              f"reference {med['reference']['rps']:.0f} req/s p99 {med['reference']['p99']:.1f} "
              f"ms; bare {med['bare']['rps']:.0f} req/s")
        print(f"median ratio project / reference: {ratio:.2f} (goal >= 0.8, p99 < 30 ms)")

        if args.ingest_only:
            return
        pipeline.start_consumers()
        time.sleep(2)
        seen = len(model.completions())
        lat = end_to_end(pipeline, channel_id, args.messages, args.rate, "e2e")
        print(f"\n2. Webhook -> reply POST, instant model, {len(lat)} messages at "
              f"{args.rate:.0f}/s ({args.consumers} consumers x {args.workers} threads; "
              f"{model_calls(model, seen, args.messages):.1f} model calls per turn)")
        print(f"p50 {pct(lat, 0.5):.1f} ms   p99 {pct(lat, 0.99):.1f} ms   max {max(lat):.1f} ms"
              f"   (goal p50 < 10, p99 < 40)")

        model.delay = args.model_delay
        seen = len(model.completions())
        lat = end_to_end(pipeline, channel_id, args.messages, args.rate, "slow")
        calls = model_calls(model, seen, args.messages)
        model_ms = calls * args.model_delay * 1000
        over = [t - model_ms for t in lat]
        print(f"\n3. The same, model answering after {args.model_delay * 1000:.0f} ms "
              f"({calls:.1f} calls per turn = {model_ms:.0f} ms of model time)")
        print(f"total p50 {pct(lat, 0.5):.1f} ms p99 {pct(lat, 0.99):.1f} ms; overhead p50 "
              f"{pct(over, 0.5):.1f} ms p99 {pct(over, 0.99):.1f} ms   (goal p50 < 10, p99 < 40)")

        pipeline.stop_consumers()
        pipeline.extra_env.pop("SMARTERCHAT_AI_COALESCE_SECONDS")
        from smarterchat.backend.config import Settings

        wait = Settings().ai_coalesce_seconds
        pipeline.start_consumers()
        time.sleep(2)
        lat = end_to_end(pipeline, channel_id, args.messages // 2, args.rate, "coal")
        beyond = [t - wait * 1000 - model_ms for t in lat]
        print(f"\n4. The same with the default {wait:.0f} s coalescing wait")
        print(f"total p50 {pct(lat, 0.5) / 1000:.2f} s p99 {pct(lat, 0.99) / 1000:.2f} s; beyond "
              f"the wait and the model p50 {pct(beyond, 0.5):.0f} ms p99 {pct(beyond, 0.99):.0f} ms"
              f"   (goal: at most 100 ms)")

        pipeline.stop_consumers()
        pipeline.extra_env["SMARTERCHAT_AI_COALESCE_SECONDS"] = "0"
        model.delay = 0.0
        pipeline.start_consumers()
        time.sleep(2)
        sends_before = len(pipeline.graph.sends())
        bodies = signed_bodies(args.burst_rate * args.burst_seconds * 2, "burst")
        files.append(bodies)
        consumers = [psutil.Process(p.pid) for p in pipeline.consumer_procs]
        cpu0 = sum(_cpu(p) for p in consumers)
        # 50 connections, each pausing so that together they post about burst-rate a second.
        pause = max(0, int(50 * 1000 / args.burst_rate) - 2)
        burst = wrk(servers["project"][0], bodies, args.burst_seconds, pause_ms=pause)
        ended = time.monotonic()
        while pending_events():
            time.sleep(0.2)
        events_done = time.monotonic() - ended
        target = sends_before + burst["requests"] - burst["non2xx"]
        pipeline.graph.wait_for_sends(target, timeout=900)
        replies_done = time.monotonic() - ended
        cpu = sum(_cpu(p) for p in consumers) - cpu0
        print(f"\n5. Backlog: {burst['requests']} webhooks in {args.burst_seconds} s "
              f"({burst['rps']:.0f} req/s, webhook p99 {burst['p99']:.1f} ms), consumers running")
        print(f"every event processed {events_done:.1f} s and every reply posted "
              f"{replies_done:.1f} s after the load ended (goal: drained at the arrival rate)")
        print(f"consumer CPU per inbound message (ingest + AI turn + send): "
              f"{cpu * 1000 / max(burst['requests'], 1):.1f} ms   (goal <= 5 ms)")
    finally:
        for proc in (ref, bare):
            proc.terminate()
        pipeline.stop()
        model.stop()
        for path in files:
            path.unlink(missing_ok=True)
        from smarterchat.backend import db

        db.reset()
        _drop_pg_database(url)


if __name__ == "__main__":
    os.environ.setdefault("SMARTERCHAT_LOG_LEVEL", "ERROR")
    main()

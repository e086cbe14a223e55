"""Throughput of the whole pipeline: busy WhatsApp numbers answered in time.

One number receives --rate new customers' messages a second for --seconds (Meta's
default ceiling is 80/s per number); the fake model answers each call after --model-delay;
--consumers huey_consumer processes with --workers threads each do the work; the fake
Graph API receives the replies. Then the same with two numbers of two organisations at
once. Prints, per phase: every message answered once (or what was not), the pipeline's
overhead (reply POST minus webhook, minus the model's time: its calls per turn are
counted), and whether the queue kept up (replies after the load ended, deepest queue).

The load is sent by a separate process (this one hosts the fakes), each message paced
to its own instant on the monotonic clock, so a slow answer does not slow the arrivals.

Needs PostgreSQL (TEST_POSTGRES_URL) and redis-server.
Usage: .venv/bin/python -m bench.throughput [--rate 80] [--seconds 30] [--workers 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes import meta  # noqa: E402
from tests.support import create_pg_database as _create_pg_database  # noqa: E402
from tests.support import drop_pg_database as _drop_pg_database  # noqa: E402
from tests.support import migrate as _migrate  # noqa: E402

SECRET = "throughput-app-secret-0123456789"


def make_number(index: int) -> tuple[uuid.UUID, str]:
    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Agent, Channel, Organization

    phone_id = f"10654035224{index:04d}"
    with session_scope() as session:
        org = Organization(name=f"Loja {index}", slug=f"tp-{index}-{uuid.uuid4().hex[:6]}")
        session.add(org)
        session.flush()
        agent = Agent(organization_id=org.id, name="Assistente",
                      business_facts="Entregamos em todo o Brasil.")
        session.add(agent)
        session.flush()
        channel = Channel(organization_id=org.id, kind="whatsapp", name=f"WA {index}",
                          agent_id=agent.id, external_id=phone_id, access_token="token",
                          app_secret=SECRET)
        session.add(channel)
    return channel.id, phone_id


# ---------------------------------------------------------------- the load (own process)

async def _send_all(base_url: str, numbers: list[tuple[str, str]], rate: float,
                    seconds: float, tag: str) -> list[tuple[str, float, int]]:
    """Each number gets ``rate`` new customers' messages a second, each message sent at
    its own instant over a few keep-alive connections (plain asyncio streams: an HTTP
    client library's own CPU would slow the arrivals on a 2-core machine)."""
    host, port = base_url.removeprefix("http://").split(":")
    count = int(rate * seconds)
    planned = []
    for i in range(count):
        for channel_id, phone_id in numbers:
            sender = f"55{tag}{phone_id[-2:]}{i:07d}"
            body = json.dumps(meta.whatsapp_message(
                phone_id, f"wamid.{tag}.{phone_id}.{i}", sender=sender,
                body={"body": "Olá! Vocês entregam em Campinas? " + "x" * 600})).encode()
            head = (f"POST /webhooks/whatsapp/{channel_id} HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                    f"X-Hub-Signature-256: {meta.sign(body, SECRET)}\r\n\r\n").encode()
            planned.append((i / rate, sender, head + body))
    sent: list[tuple[str, float, int]] = []
    lanes = 32
    start = time.monotonic() + 0.5

    async def lane(mine: list[tuple[float, str, bytes]]) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        for offset, sender, request in mine:
            await asyncio.sleep(max(0.0, start + offset - time.monotonic()))
            posted = time.monotonic()
            writer.write(request)
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            sent.append((sender, posted, status))
        writer.close()

    await asyncio.gather(*(lane(planned[k::lanes]) for k in range(lanes)))
    return sent


def send_main(argv: list[str]) -> None:
    base_url, spec, rate, seconds, tag, out = argv
    numbers = [tuple(n.split(":")) for n in spec.split(",")]
    sent = asyncio.run(_send_all(base_url, numbers, float(rate), float(seconds), tag))
    Path(out).write_text(json.dumps(sent))


# ---------------------------------------------------------------- measuring

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stored_at(customers: list[str]) -> dict[str, float]:
    from sqlmodel import col, select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import InboundEvent

    with session_scope() as session:
        rows = session.exec(select(InboundEvent.conversation_key, InboundEvent.received_at)
                            .where(col(InboundEvent.conversation_key).in_(customers))).all()
    return {key: at.timestamp() for key, at in rows}


def why_unanswered(customers: list[str]) -> dict[str, int]:
    from sqlmodel import col, select

    from smarterchat.backend.db import session_scope
    from smarterchat.backend.models import Contact, Conversation, InboundEvent

    with session_scope() as session:
        events = Counter(session.exec(select(InboundEvent.status).where(
            col(InboundEvent.conversation_key).in_(customers))).all())
        statuses = Counter(session.exec(select(Conversation.status).join(
            Contact, col(Contact.id) == Conversation.contact_id).where(
            col(Contact.external_id).in_(customers))).all())
    return {**{f"event {k}": v for k, v in events.items()},
            **{f"conversation {k}": v for k, v in statuses.items()}}


def queue_depth_sampler(redis_url: str, stop: threading.Event, depths: list[int]) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    while not stop.is_set():
        depths.append(client.llen("huey.redis.smarterchat"))
        time.sleep(0.2)


def phase(pipeline, model, numbers: list[tuple[uuid.UUID, str]], args, tag: str) -> None:
    from tests.fakes.pipeline import Pipeline  # noqa: F401  (type only)

    first_send = len(pipeline.graph.sends())
    first_call = len(model.completions())
    out = Path(tempfile.mkstemp(prefix="sc-sent-", suffix=".json")[1])
    depths: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=queue_depth_sampler,
                               args=(pipeline.redis.url, stop, depths), daemon=True)
    sampler.start()
    spec = ",".join(f"{cid}:{pid}" for cid, pid in numbers)
    subprocess.run([sys.executable, "-m", "bench.throughput", "--send", pipeline.base_url, spec,
                    str(args.rate), str(args.seconds), tag, str(out)], cwd=ROOT, check=True)
    sent = json.loads(out.read_text())
    out.unlink()
    load_end = max(s[1] for s in sent)
    sent_at = {s[0]: s[1] for s in sent}
    accepted = [s for s in sent if s[2] == 200]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        replies = [r for r in pipeline.graph.sends()[first_send:] if r.body.get("to") in sent_at]
        if len({r.body["to"] for r in replies}) >= len(accepted):
            break
        time.sleep(0.2)
    time.sleep(3)  # a duplicate reply would show up by now
    stop.set()
    replies = [r for r in pipeline.graph.sends()[first_send:] if r.body.get("to") in sent_at]
    per_customer = Counter(r.body["to"] for r in replies)
    first_reply = {}
    for r in replies:
        first_reply.setdefault(r.body["to"], r.at)
    calls = (len(model.completions()) - first_call) / max(len(accepted), 1)
    model_ms = calls * args.model_delay * 1000
    # From the moment the app stored the webhook (its own clock), so the load generator's
    # queueing on a busy machine is not counted as the pipeline's.
    received = stored_at(list(first_reply))
    to_wall = time.time() - time.monotonic()
    totals = [(first_reply[c] + to_wall - received[c]) * 1000 for c in first_reply]
    overhead = [t - model_ms for t in totals]
    client = [(first_reply[c] - sent_at[c]) * 1000 - model_ms for c in first_reply]
    last_reply = max(r.at for r in replies) if replies else load_end
    rate = len(sent) / (max(s[1] for s in sent) - min(s[1] for s in sent))
    print(f"\n{len(numbers)} number(s), {len(sent)} messages from new customers at "
          f"{rate:.1f}/s for {args.seconds:.0f} s; {args.consumers} consumers x {args.workers} "
          f"threads; model {args.model_delay * 1000:.0f} ms x {calls:.2f} calls per turn")
    print(f"webhooks answered 200: {len(accepted)}/{len(sent)}; answered once: "
          f"{sum(1 for c in per_customer.values() if c == 1)}; twice or more: "
          f"{sum(1 for c in per_customer.values() if c > 1)}; not answered: "
          f"{len(accepted) - len(per_customer)}")
    if overhead:
        print(f"reply POST after webhook p50 {pct(totals, 0.5):.0f} ms p99 {pct(totals, 0.99):.0f}"
              f" ms; overhead p50 {pct(overhead, 0.5):.1f} ms p99 {pct(overhead, 0.99):.1f} ms "
              f"(goal p50 < 10, p99 < 40); counted from the client's send: p50 "
              f"{pct(client, 0.5):.1f} ms p99 {pct(client, 0.99):.1f} ms")
    missing = [s[0] for s in accepted if s[0] not in per_customer]
    if missing:
        print("not answered, by what became of them:", why_unanswered(missing))
    print(f"last reply {1000 * (last_reply - load_end):.0f} ms after the last webhook; deepest "
          f"queue {max(depths or [0])} tasks (median {statistics.median(depths or [0]):.0f})")


def main() -> None:
    if sys.argv[1:2] == ["--send"]:
        send_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=80.0, help="messages/s per number")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=32, help="threads per consumer")
    parser.add_argument("--model-delay", type=float, default=0.3)
    parser.add_argument("--numbers", default="1,2", help="phases: how many numbers at once")
    args = parser.parse_args()

    from tests.fakes.openai_server import FakeOpenAI
    from tests.fakes.pipeline import Pipeline

    url = _create_pg_database()
    _migrate(url)
    model = FakeOpenAI().start(loop="uvloop")
    model.delay = args.model_delay
    numbers = [make_number(1), make_number(2)]
    pipeline = Pipeline(url, consumers=args.consumers, workers=args.workers, extra_env={
        "SMARTERCHAT_LOG_LEVEL": "ERROR", "SMARTERCHAT_AI_PROVIDER": "openai",
        "SMARTERCHAT_OPENAI_API_KEY": "sk-bench", "SMARTERCHAT_OPENAI_BASE_URL": model.base_url,
        "SMARTERCHAT_AI_COALESCE_SECONDS": "0", "SMARTERCHAT_AI_ONE_CALL_TURNS": "true",
        # The fake Graph API shares this process with the fake model: a 1 s client timeout
        # would retry sends it was merely slow to record, and count them twice.
        "SMARTERCHAT_GRAPH_API_TIMEOUT_SECONDS": "10",
        "SMARTERCHAT_DB_POOL_SIZE": str(max(5, args.workers // 2))}, fake_loop="uvloop").start()
    try:
        time.sleep(2)
        for i, count in enumerate(int(n) for n in args.numbers.split(",")):
            phase(pipeline, model, numbers[:count], args, tag=f"{i + 1}")
    finally:
        pipeline.stop()
        model.stop()
        from smarterchat.backend import db

        db.reset()
        _drop_pg_database(url)


if __name__ == "__main__":
    main()

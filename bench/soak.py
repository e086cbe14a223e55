"""Soak with faults, on loopback only, bounded in time: the production layout of
tests/deploy_support.py (nginx, two app instances, two workers, the scheduler) on a PostgreSQL
cluster and a Redis of its own (so both may be restarted), the fake Graph API and fake model.

For ``--seconds`` (default 180): signed webhooks from ``--customers`` customers at ``--rate``
per second, retried like Meta retries (after 1 s, up to 10 times) when not answered 200; the
AI answers each through the fake model; two consultants watch the inbox in Chromium through
nginx. Meanwhile, evenly spaced: kill -9 one app instance and restart it, kill -9 one worker
and restart it, restart Redis (append-only file on, as deploy/compose.yaml runs it), restart
PostgreSQL once. Then it waits for the queue to drain and prints what happened: webhooks
accepted / answered 5xx, customer messages stored, duplicated, answered; outbound sends
duplicated or lost; browsers' reconnections and whether they caught up without a reload;
p50/p99 webhook latency and time to screen per phase (before, during and after each fault).

Needs nginx, redis-server, Chromium and PostgreSQL's server binaries.
Usage: .venv/bin/python -m bench.soak [--seconds 180] [--rate 3] [--customers 20]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM_ARGS, free_port  # noqa: E402
from tests.deploy_support import Stack  # noqa: E402
from tests.fakes import meta  # noqa: E402
from tests.fakes.pipeline import PrivateRedis  # noqa: E402

PHONE_ID = "5511400077777"
SECRET = "soak-app-secret-0123456789"
QUESTIONS = ("Vocês entregam em Campinas?", "Qual o horário de funcionamento?", "Aceitam pix?",
             "Qual o prazo de troca?", "Fazem orçamento sem compromisso?",
             "Tem desconto à vista?", "Qual o telefone da loja?", "Atendem aos sábados?",
             "Vendem cartão presente?", "Qual o valor do frete?")
CONSULTANTS = ("ana.soak@example.com", "bia.soak@example.com")
PASSWORD = "soak-password-123"
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))

SETUP = """
import json, sys
from smarterchat.backend.db import session_scope
from smarterchat.backend.models import Agent, Channel, Membership, Organization, User
from smarterchat.backend.security import passwords

phone_id, secret, password, *emails = sys.argv[1:]
with session_scope() as s:
    org = Organization(name="Loja Soak", slug="loja-soak")
    s.add(org)
    s.flush()
    agent = Agent(organization_id=org.id, name="Assistente", business_facts="Entregamos no Brasil.")
    s.add(agent)
    s.flush()
    channel = Channel(organization_id=org.id, kind="whatsapp", name="WhatsApp", agent_id=agent.id,
                      external_id=phone_id, access_token="EAAG-soak", app_secret=secret)
    s.add(channel)
    hashed = passwords.hash_password(password)
    for email in emails:
        user = User(email=email, name=email.split("@")[0], password_hash=hashed)
        s.add(user)
        s.flush()
        s.add(Membership(organization_id=org.id, user_id=user.id, role="consultant"))
    s.flush()
    print(json.dumps({"channel": str(channel.id)}))
"""

# Stamps, in the page, the first moment each soak text is on screen (one clock: same machine).
WATCH = """
() => {
  window.__seen = window.__seen || {};
  const check = () => {
    const found = document.body.innerText.match(/soak-\\d+/g) || [];
    const now = Date.now();
    for (const t of found) if (!(t in window.__seen)) window.__seen[t] = now;
  };
  new MutationObserver(check).observe(document.body, {childList: true, subtree: true,
                                                     characterData: true});
  check();
}
"""


class OwnPostgres:
    """A PostgreSQL cluster of the soak's own (initdb in a temporary folder, a spare port)."""

    def __init__(self) -> None:
        self.bin = PG_BIN[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="sc-soak-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.dir}'\nmax_connections = 200\n"
                       "fsync = off\nsynchronous_commit = off\n")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w", "start")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-m", "fast",
                  "-w", "restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class DurableRedis(PrivateRedis):
    """Redis with its append-only file on, as production runs it: a restart keeps the queue
    and the consultants' sessions."""

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
             "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                import socket

                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")


class Load:
    """Signed webhooks at a steady rate; each one retried until answered 200, as Meta does."""

    def __init__(self, stack: Stack, channel: str, customers: int) -> None:
        self.stack, self.channel = stack, channel
        self.senders = [f"55219{70000000 + i:08d}" for i in range(customers)]
        self.sent: dict[str, dict] = {}  # text -> sender, phase, first post time, latency
        self.answers: dict[str, int] = {}  # "200", "5xx", "other", "connection error"
        self.failures: dict[str, dict[str, int]] = {}  # phase when answered -> answer -> count
        self.phase = "before"
        self.lock = threading.Lock()
        self.client = httpx.Client(timeout=15)

    def _count(self, key: str, phase: str) -> None:
        with self.lock:
            self.answers[key] = self.answers.get(key, 0) + 1
            if key != "200":
                failed = self.failures.setdefault(phase, {})
                failed[key] = failed.get(key, 0) + 1

    def post(self, seq: int) -> None:
        # Each customer asks something new each time, as people do: the same question
        # asked again is the "no progress" handoff rule's business, not a soak's.
        asked = QUESTIONS[(seq // len(self.senders)) % len(QUESTIONS)]
        text = f"[soak-{seq}] {asked}"  # the tag first: the inbox preview cuts the end
        sender = self.senders[seq % len(self.senders)]
        body = json.dumps(meta.whatsapp_message(PHONE_ID, f"wamid.soak{seq}", sender=sender,
                                                name=f"Cliente {sender[-3:]}",
                                                body={"body": text})).encode()
        headers = {"X-Hub-Signature-256": meta.sign(body, SECRET),
                   "Content-Type": "application/json"}
        record = {"sender": sender, "phase": self.phase, "posted": time.time(), "tries": 0}
        with self.lock:
            self.sent[text] = record
        started = time.perf_counter()
        for _ in range(10):
            record["tries"] += 1
            try:
                answer = self.client.post(
                    f"{self.stack.url}/webhooks/whatsapp/{self.channel}", content=body,
                    headers=headers)
            except httpx.HTTPError:
                self._count("connection error", self.phase)
            else:
                key = "200" if answer.status_code == 200 else (
                    "5xx" if answer.status_code >= 500 else str(answer.status_code))
                self._count(key, self.phase)
                if answer.status_code == 200:
                    record["latency"] = time.perf_counter() - started
                    record["first_try_latency"] = record["latency"] if record["tries"] == 1 \
                        else None
                    return
            time.sleep(1)
        record["gave_up"] = True


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def browsers(stack: Stack, stop: threading.Event, out: dict) -> None:
    """Two consultants on the inbox through nginx; never reloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for email in CONSULTANTS:
            context = browser.new_context(base_url=stack.url, locale="pt-BR",
                                          viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            state = {"email": email, "sockets": 0, "navigations": 0}
            page.on("websocket", lambda _ws, state=state: state.__setitem__(
                "sockets", state["sockets"] + 1))
            page.goto("/login")
            page.get_by_test_id("login-email").fill(email)
            page.get_by_test_id("login-password").fill(PASSWORD)
            page.get_by_test_id("login-submit").click()
            page.wait_for_url(lambda url: "/login" not in url)
            page.goto("/inbox")
            page.get_by_test_id("inbox").wait_for()
            page.on("framenavigated", lambda frame, state=state, page=page: state.__setitem__(
                "navigations", state["navigations"] + (frame == page.main_frame)))
            page.evaluate(WATCH)
            pages.append((page, state))
        out["ready"] = True
        while not stop.wait(2):
            for page, state in pages:
                with contextlib.suppress(Exception):
                    state["seen"] = page.evaluate("() => window.__seen")
        for page, state in pages:
            with contextlib.suppress(Exception):
                state["seen"] = page.evaluate("() => window.__seen")
                # Caught up: every customer's conversation is on the list, live, no reload.
                state["names"] = sorted(set(page.evaluate(
                    "() => document.body.innerText.match(/Cliente \\d{3}/g) || []")))
        out["pages"] = [state for _, state in pages]
        browser.close()


def database_counts(url: str) -> dict:
    with psycopg.connect(url) as conn:
        stored, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT text) FROM message "
            "WHERE direction = 'inbound' AND text LIKE '%[soak-%'").fetchone()
        answered = conn.execute(
            "SELECT count(*) FROM message m WHERE m.direction = 'inbound' "
            "AND m.text LIKE '%[soak-%' AND EXISTS (SELECT 1 FROM message r "
            "WHERE r.conversation_id = m.conversation_id AND r.direction = 'outbound' "
            "AND r.created_at >= m.created_at)").fetchone()[0]
        outbound = dict(conn.execute(
            "SELECT delivery_status, count(*) FROM message WHERE direction = 'outbound' "
            "GROUP BY delivery_status").fetchall())
        per_contact = dict(conn.execute(
            "SELECT c.external_id, count(*) FROM message m JOIN conversation v ON "
            "v.id = m.conversation_id JOIN contact c ON c.id = v.contact_id "
            "WHERE m.direction = 'outbound' GROUP BY c.external_id").fetchall())
        duplicated_ids = conn.execute(
            "SELECT count(*) FROM (SELECT provider_message_id FROM message WHERE "
            "direction = 'outbound' AND provider_message_id IS NOT NULL "
            "GROUP BY provider_message_id HAVING count(*) > 1) d").fetchone()[0]
    return {"stored": stored, "distinct": distinct, "answered": answered,
            "outbound": outbound, "per_contact": per_contact,
            "duplicated_provider_ids": duplicated_ids}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--rate", type=float, default=3.0, help="webhooks per second")
    parser.add_argument("--customers", type=int, default=20)
    # Past the 10-minute sweep that re-queues sends a killed worker or a restarted Redis lost.
    parser.add_argument("--drain", type=float, default=720, help="seconds to wait at the end")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not (args.seconds > 0 and 0 < args.rate <= 50 and 0 < args.customers <= 500):
        parser.error("--seconds > 0, 0 < --rate <= 50 and 0 < --customers <= 500")
    for tool in ("nginx", "redis-server"):
        if not shutil.which(tool):
            parser.error(f"{tool} is not installed")
    if not PG_BIN or not Path(CHROMIUM).exists():
        parser.error("needs PostgreSQL's server binaries and Chromium")

    postgres = OwnPostgres()
    postgres.start()
    stack = Stack(postgres.url, apps=2, workers=2, worker_threads=8)
    stack.redis = DurableRedis()
    stop_browsers = threading.Event()
    browser_out: dict = {}
    timeline: list[tuple[str, float, float]] = []  # fault, started, recovered
    try:
        print("starting the stack (migrate, frontend build, 2 apps, 2 workers, scheduler, "
              "nginx)...", flush=True)
        t0 = time.monotonic()
        stack.start()
        made = subprocess.run([sys.executable, "-c", SETUP, PHONE_ID, SECRET, PASSWORD,
                               *CONSULTANTS], cwd=stack.source, env=stack.env("setup"),
                              capture_output=True, text=True, check=True, timeout=120)
        channel = json.loads(made.stdout.strip().splitlines()[-1])["channel"]
        print(f"stack up in {time.monotonic() - t0:.0f} s; nginx at {stack.url}", flush=True)
        viewer = threading.Thread(target=browsers, args=(stack, stop_browsers, browser_out),
                                  daemon=True)
        viewer.start()
        deadline = time.monotonic() + 180
        while not browser_out.get("ready"):
            if not viewer.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the consultants' browsers did not open the inbox")
            time.sleep(0.5)

        load = Load(stack, channel, args.customers)
        faults = [
            ("app instance kill -9", lambda: (stack.kill("app0"), stack.start_app(0))),
            ("worker kill -9", lambda: (stack.kill("worker0"), stack.start_worker(0))),
            ("Redis restart", lambda: (stack.redis.stop(), stack.redis.start())),
            ("PostgreSQL restart", postgres.restart),
        ]
        spacing = args.seconds / (len(faults) + 1)
        total = int(args.seconds * args.rate)
        pool = ThreadPoolExecutor(32)
        fault_thread = None
        started = time.monotonic()

        def run_fault(name, action):
            began = time.monotonic()
            load.phase = f"during {name}"
            action()
            # "During" lasts until the restarted part is back, plus 5 s to settle.
            time.sleep(5)
            timeline.append((name, began - started, time.monotonic() - started))
            load.phase = f"after {name}"

        next_fault = 0
        for seq in range(total):
            at = started + seq / args.rate
            now = time.monotonic()
            if at > now:
                time.sleep(at - now)
            if (next_fault < len(faults) and time.monotonic() - started >= spacing *
                    (next_fault + 1) and (fault_thread is None or not fault_thread.is_alive())):
                fault_thread = threading.Thread(target=run_fault, args=faults[next_fault])
                fault_thread.start()
                print(f"t={time.monotonic() - started:.0f}s: {faults[next_fault][0]}",
                      flush=True)
                next_fault += 1
            pool.submit(load.post, seq)
        if fault_thread is not None:
            fault_thread.join()
        pool.shutdown(wait=True)
        load_seconds = time.monotonic() - started
        print(f"load done ({total} webhooks in {load_seconds:.0f} s); waiting for the queue "
              "to drain...", flush=True)

        drain_started = time.monotonic()
        deadline = drain_started + args.drain
        counts = database_counts(postgres.url)
        while time.monotonic() < deadline and (
                counts["answered"] < len(load.sent) or counts["outbound"].get("pending")):
            time.sleep(2)
            counts = database_counts(postgres.url)
        print(f"drained {time.monotonic() - drain_started:.0f} s after the load ended "
              f"(limit {args.drain:.0f} s; lost sends are queued again by the sweep after "
              "10 minutes)", flush=True)
        time.sleep(5)  # the last deltas reach the browsers
        stop_browsers.set()
        viewer.join(60)
        counts = database_counts(postgres.url)
        report(load, counts, stack, browser_out, timeline, load_seconds, args)
        return 0
    finally:
        stop_browsers.set()
        stack.stop()
        postgres.stop()


def report(load: Load, counts: dict, stack: Stack, browser_out: dict, timeline: list,
           load_seconds: float, args) -> None:
    sends: dict[str, int] = {}
    for send in stack.graph.sends():
        to = send.body.get("to") if isinstance(send.body, dict) else None
        if to:
            sends[to] = sends.get(to, 0) + 1
    outbound_rows = sum(counts["outbound"].values())
    sent_ok = sum(1 for r in load.sent.values() if "latency" in r)
    duplicated_sends = sum(max(0, sends.get(c, 0) - n) for c, n in counts["per_contact"].items())
    undelivered = sum(n for status, n in counts["outbound"].items()
                      if status not in ("sent", "delivered", "read"))
    pages = browser_out.get("pages", [])
    phases: list[str] = []
    for record in load.sent.values():
        if record["phase"] not in phases:
            phases.append(record["phase"])

    lines = [
        f"soak: {args.seconds:.0f} s at {args.rate:g} webhooks/s from {args.customers} "
        f"customers through nginx (2 app instances, 2 workers x 8 threads, 1 scheduler); "
        f"load took {load_seconds:.0f} s",
        "faults (s from start: began -> back): " + "; ".join(
            f"{name} {a:.0f} -> {b:.0f}" for name, a, b in timeline),
        f"webhooks: {len(load.sent)} messages posted, {sent_ok} accepted (200), answers by "
        f"status {dict(sorted(load.answers.items()))}, "
        f"{sum(1 for r in load.sent.values() if r['tries'] > 1)} needed a retry, "
        f"{sum(1 for r in load.sent.values() if r.get('gave_up'))} gave up",
        f"customer messages: stored {counts['stored']}, duplicated "
        f"{counts['stored'] - counts['distinct']}, lost {len(load.sent) - counts['distinct']}, "
        f"answered {counts['answered']} of {counts['distinct']}",
        f"outbound: {outbound_rows} replies by status {counts['outbound']}, sends at the fake "
        f"Graph API {sum(sends.values())}, duplicated sends {duplicated_sends}, provider ids "
        f"used twice {counts['duplicated_provider_ids']}, not delivered (lost) {undelivered}",
    ]
    for state in pages:
        seen = state.get("seen") or {}
        lines.append(
            f"browser {state['email']}: websocket opened {state['sockets']} time(s) "
            f"({state['sockets'] - 1} reconnection(s)), reloads {state['navigations']}, "
            f"texts seen on screen {sum(1 for t in load.sent if t in seen)} of {len(load.sent)} "
            "(a backlog shown in one update shows only each row's newest preview)")
    names = set()
    for state in pages:
        names.update(state.get("names") or [])
    lines.append(f"conversations listed at the end, both browsers without a reload: "
                 f"{', '.join(str(len(state.get('names') or [])) for state in pages)} of "
                 f"{len(load.senders)} customers")
    lines.append("webhooks not answered 200, by the phase they were answered in: "
                 + (json.dumps(load.failures) if load.failures else "none"))
    lines.append(f"{'phase':34} {'webhooks':>8} {'p50':>8} {'p99':>8} {'screen p50':>11} "
                 f"{'screen p99':>11}")
    for phase in phases:
        records = {t: r for t, r in load.sent.items() if r["phase"] == phase}
        latency = [r["latency"] for r in records.values() if "latency" in r]
        screen = [seen[t] / 1000 - r["posted"] for state in pages
                  for seen in [state.get("seen") or {}]
                  for t, r in records.items() if t in seen]
        lines.append(f"{phase:34} {len(records):>8} {fmt_ms(percentile(latency, 0.5)):>8} "
                     f"{fmt_ms(percentile(latency, 0.99)):>8} "
                     f"{fmt_ms(percentile(screen, 0.5)):>11} "
                     f"{fmt_ms(percentile(screen, 0.99)):>11}")
    lost = len(load.sent) - counts["distinct"]
    duplicated = counts["stored"] - counts["distinct"]
    five_xx = load.answers.get("5xx", 0)
    met = (lost == 0 and duplicated == 0 and duplicated_sends == 0 and undelivered == 0
           and counts["answered"] == counts["distinct"])
    lines.append(
        f"target (nothing lost, nothing duplicated, every message answered): "
        f"{'MET' if met else 'NOT MET'}; webhooks answered 5xx: {five_xx}")
    print("\n".join(lines), flush=True)
    if args.json:
        args.json.write_text(json.dumps({
            "lines": lines, "answers": load.answers, "counts": counts, "timeline": timeline,
            "median_first_try": statistics.median(
                [r["latency"] for r in load.sent.values() if r.get("first_try_latency")] or [0]),
        }, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())

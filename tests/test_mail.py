"""E-mail: composed in the recipient's language (text and HTML), delivered through a local
SMTP server the tests start, or written to the outbox folder without one; admin notices."""

from __future__ import annotations

import json
import logging
import stat
import uuid

import pytest
from sqlmodel import select

from smarterchat.backend import events, mail
from smarterchat.backend.config import get_settings
from smarterchat.backend.models import AuditLog, Channel, InboundEvent, Role
from smarterchat.backend.services import ingest
from smarterchat.backend.services.notices import notify_admins
from tests.factories import make_conversation, make_org, make_user


def test_every_email_is_in_the_recipients_language_as_text_and_html():
    pt = mail.compose("password_reset", "pt-BR", to="ana@example.com", name="Ana",
                      link="https://app.example/reset?token=abc&x=1", minutes="30")
    en = mail.compose("password_reset", "en", to="ana@example.com", name="Ana",
                      link="https://app.example/reset?token=abc&x=1", minutes="30")
    assert pt.subject == "Redefina sua senha do SmarterChat" and "Olá, Ana!" in pt.text
    assert en.subject == "Reset your SmarterChat password" and "Hello Ana," in en.text
    assert "30 min" in en.text and "https://app.example/reset?token=abc&x=1" in en.text
    # The HTML escapes what it quotes, the link included.
    assert 'href="https://app.example/reset?token=abc&amp;x=1"' in en.html
    assert "<script" not in mail.compose("invitation", "en", to="a@b.co", name="<script>",
                                         inviter="x", organization="y", hours="1").html
    with pytest.raises(ValueError):
        mail.compose("no_such_kind", "en", to="a@b.co")


def test_without_smtp_the_email_is_written_to_the_outbox_privately_and_its_link_logged(caplog):
    assert not get_settings().smtp_host
    email = mail.compose("verify_signup", "en", to="new@example.com", name="Nina",
                         link="http://localhost:3000/verify?token=t0k3n", organization="Acme",
                         hours="24")
    with caplog.at_level(logging.INFO, logger="smarterchat.backend.mail"):
        path = mail.deliver(email)
    assert path is not None and path.parent == mail.outbox_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_bytes()
    assert b"To: new@example.com" in raw and b"text/html" in raw and b"text/plain" in raw
    assert "http://localhost:3000/verify?token=t0k3n" in caplog.text


def test_smtp_delivery_logs_in_and_sends_both_parts(smtp):
    events.emit(events.EmailRequested(kind="verify_signup", to="joao@example.com", locale="pt-BR",
                                      context={"name": "João", "link": "http://x/verify?t=1",
                                               "organization": "Padaria", "hours": "24"}))
    [message] = smtp.wait_for(1)
    assert message["To"] == "joao@example.com"
    assert message["From"] == "SmarterChat <no-reply@smarterchat.test>"
    assert message["Subject"] == "Confirme seu e-mail no SmarterChat"
    assert "Padaria" in message.get_body(("plain",)).get_content()
    assert "http://x/verify?t=1" in message.get_body(("html",)).get_content()


def test_a_refused_smtp_login_raises_so_the_task_retries(smtp, monkeypatch):
    import smtplib

    monkeypatch.setenv("SMARTERCHAT_SMTP_PASSWORD", "wrong")
    monkeypatch.setenv("SMARTERCHAT_SMTP_TIMEOUT_SECONDS", "2")
    get_settings.cache_clear()
    with pytest.raises(smtplib.SMTPException):
        mail.deliver(mail.compose("verify_signup", "en", to="a@example.com"))
    assert smtp.messages == []


def test_admin_notices_go_to_the_active_admins_of_that_organisation_only(session, smtp):
    org, other = make_org(session, "Loja"), make_org(session, "Outra")
    admin = make_user(session, org, Role.ADMIN)
    admin.locale = "en"
    session.add(admin)
    session.commit()
    make_user(session, org, Role.MANAGER)
    foreign_admin = make_user(session, other, Role.ADMIN)
    assert notify_admins(session, org.id, "webhook_disabled", url="https://hooks.example/x") == 1
    [notice] = smtp.wait_for(1)
    assert notice["To"] == admin.email
    assert notice["Subject"] == "Loja: a webhook was disabled"
    assert "https://hooks.example/x" in notice.get_body(("plain",)).get_content()
    assert smtp.to(foreign_admin.email) == []
    with pytest.raises(ValueError):
        notify_admins(session, org.id, "not_a_notice")


def test_an_event_set_aside_tells_the_admins(session, smtp):
    org = make_org(session, "Loja")
    admin = make_user(session, org, Role.ADMIN)
    channel = Channel(organization_id=org.id, kind="whatsapp", name="Vendas",
                      external_id=f"ph-{uuid.uuid4().hex[:6]}")
    session.add(channel)
    session.commit()
    poison = {"object": "whatsapp_business_account", "entry": [{"changes": "not a list"}]}
    session.add(InboundEvent(organization_id=org.id, channel_id=channel.id,
                             body=json.dumps(poison)))
    session.commit()
    for _ in range(ingest.MAX_ATTEMPTS - 1):
        ingest.process_pending(channel.id)
    assert smtp.messages == []  # not yet set aside: no notice
    ingest.process_pending(channel.id)
    [notice] = smtp.wait_for(1)
    assert notice["To"] == admin.email and "Vendas" in notice.get_body(("plain",)).get_content()


def test_the_ai_budget_notice_is_emailed_once_when_the_ai_stops(session, smtp):
    from smarterchat.backend.services import ai_turn

    org = make_org(session, "Loja")
    org.monthly_ai_budget_cents = 0  # spent from the start
    session.add(org)
    session.commit()
    admin = make_user(session, org, Role.ADMIN)
    make_user(session, org, Role.CONSULTANT)
    _channel, _contact, conversation, _message = make_conversation(session, org)
    assert ai_turn.respond(conversation.id).decision.reason == "budget_exhausted"
    [notice] = smtp.wait_for(1)
    assert notice["To"] == admin.email
    assert notice["Subject"] == "Loja: o orçamento mensal de IA acabou"
    assert "US$ 0.00" in notice.get_body(("plain",)).get_content()
    assert len(session.exec(select(AuditLog).where(
        AuditLog.action == "ai.budget_exhausted")).all()) == 1

"""E-mail: compose in the recipient's language, deliver by SMTP or to the outbox folder.

Every e-mail is one ``kind`` with its sentences in ``i18n/catalogs/mail.py`` (subject, body,
the button's label), sent as plain text and HTML. With ``SMARTERCHAT_SMTP_HOST`` it goes
through that server (STARTTLS, implicit TLS or plain, with optional login); without it (the
embedded default) it is written to ``data_dir/outbox/`` as an ``.eml`` file that any mail
program opens, and its links are logged, so a newcomer can follow a sign-up or an
invitation on a laptop. Services never send: they emit ``events.EmailRequested`` after
their commit and the worker's ``tasks.mail.send_email`` delivers it, with retries.
"""

from __future__ import annotations

import html
import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from smarterchat.backend.config import get_settings
from smarterchat.backend.private_files import ensure_private_dir, write_private
from smarterchat.i18n import TABLE, normalise_locale, translate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    link: str = ""


def public_link(path: str) -> str:
    """An address of this app for a person to open (``path`` starts with a slash)."""
    return get_settings().public_url.rstrip("/") + path


def compose(kind: str, locale: str | None, *, to: str, name: str = "", link: str = "",
            **context: str) -> Email:
    """The e-mail ``kind`` for ``to`` in ``locale``; ``link`` becomes its button."""
    lang = normalise_locale(locale)
    if f"mail.{kind}.subject" not in TABLE:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    params = {"name": name, **context}
    greeting = translate("mail.greeting" if name else "mail.greeting_anonymous", lang, **params)
    paragraphs = [greeting, *translate(f"mail.{kind}.body", lang, **params).split("\n\n")]
    footer = translate("mail.footer", lang)
    text_parts = list(paragraphs)
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if link:
        action = translate(f"mail.{kind}.action", lang)
        text_parts += [f"{action}: {link}"]
        safe = html.escape(link, quote=True)
        html_parts += [
            f'<p><a href="{safe}" style="display:inline-block;padding:10px 18px;'
            f'background:#3e63dd;color:#ffffff;border-radius:6px;text-decoration:none">'
            f"{html.escape(action)}</a></p>",
            f'<p style="color:#666;font-size:13px">{html.escape(translate("mail.link_hint", lang))}'
            f'<br><a href="{safe}">{html.escape(link)}</a></p>',
        ]
    text_parts.append(f"--\n{footer}")
    html_parts.append(f'<hr><p style="color:#888;font-size:12px">{html.escape(footer)}</p>')
    body_html = (f'<!doctype html><html lang="{lang}"><body style="font-family:sans-serif;'
                 f'line-height:1.5;color:#1c2024">{"".join(html_parts)}</body></html>')
    return Email(to=to, subject=translate(f"mail.{kind}.subject", lang, **params),
                 text="\n\n".join(text_parts) + "\n", html=body_html, link=link)


def _message(email: Email) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2].strip("> "))
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def deliver(email: Email) -> Path | None:
    """Send ``email``; returns the outbox file when there is no SMTP server. SMTP errors
    propagate, so the task that called this retries."""
    settings = get_settings()
    message = _message(email)
    if not settings.smtp_host:
        return _write_outbox(email, message)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    context = ssl.create_default_context()
    timeout = settings.smtp_timeout_seconds
    client: smtplib.SMTP
    if settings.smtp_security == "tls":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                  context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            client.login(settings.smtp_user, password or "")
        client.send_message(message)
    log.info("e-mail sent", extra={"to": email.to, "subject": email.subject})
    return None


def outbox_dir() -> Path:
    return get_settings().data_dir / "outbox"


def _write_outbox(email: Email, message: EmailMessage) -> Path:
    folder = ensure_private_dir(outbox_dir())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    write_private(path, message.as_bytes())  # its links sign people in
    log.info("e-mail written to the outbox (no SMTP server set): %s%s", path,
             f" link: {email.link}" if email.link else "",
             extra={"to": email.to, "subject": email.subject})
    return path

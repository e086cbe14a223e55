"""Sending e-mail off the request: SMTP can be slow or down, and a retry must not make a
person wait or lose a sign-up link."""

from __future__ import annotations

from smarterchat.backend import events, mail
from tasks.queue import huey


@huey.task(retries=6, retry_delay=30)
def send_email(kind: str, to: str, locale: str, context: dict[str, str]) -> None:
    mail.deliver(mail.compose(kind, locale, to=to, **context))


def on_email_requested(event: events.EmailRequested) -> None:
    send_email(event.kind, event.to, event.locale, dict(event.context))

"""WhatsApp message templates as the inbox offers them: Meta's template JSON read into a
typed template, and a template's body filled with the consultant's values.

Meta numbers a body's placeholders ``{{1}}``, ``{{2}}``...; a template takes as many
values as it has consecutive placeholders from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Template:
    """An approved template (a state var of the composer: defaults, not frozen)."""

    key: str = ""  # name|language: a name may exist in several languages
    name: str = ""
    language: str = ""
    body: str = ""
    params: int = 0  # how many values it takes


def placeholders(body: str) -> int:
    count = 0
    while "{{" + str(count + 1) + "}}" in body:
        count += 1
    return count


def from_meta(raw: dict[str, Any]) -> Template:
    """One template as Meta's Graph API lists it (``components`` with a BODY text)."""
    body = next((str(c.get("text") or "") for c in raw.get("components") or []
                 if str(c.get("type", "")).upper() == "BODY"), "")
    name, language = str(raw.get("name") or ""), str(raw.get("language") or "")
    return Template(key=f"{name}|{language}", name=name, language=language, body=body,
                    params=placeholders(body))


def fill(body: str, params: list[str]) -> str:
    """The text the customer reads: each ``{{n}}`` replaced by the n-th value."""
    for i, value in enumerate(params, start=1):
        body = body.replace("{{" + str(i) + "}}", value)
    return body


def outbound(template: Template, params: list[str]) -> dict[str, Any]:
    """What ``inbox.reply`` sends to Meta for a template."""
    return {"name": template.name, "language": template.language, "parameters": list(params)}

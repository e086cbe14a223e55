"""Prompt templates ($placeholders, filled with string.Template)."""

from __future__ import annotations

import functools
from pathlib import Path
from string import Template


@functools.cache
def template(name: str) -> Template:
    return Template((Path(__file__).parent / f"{name}.txt").read_text())


def render(template_name: str, **values: object) -> str:
    return template(template_name).safe_substitute({k: "" if v is None else v for k, v in values.items()})

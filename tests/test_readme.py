"""The README stays true to the code: its first commands and its table of settings."""

from __future__ import annotations

from pathlib import Path

from smarterchat.backend.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_opens_with_the_two_commands():
    first_lines = [line for line in README.splitlines()[:4] if line.strip()]

    assert first_lines[:3] == ["```", "python3 manage.py start", "python3 manage.py test"]


def test_every_setting_is_documented():
    missing = [
        f"SMARTERCHAT_{name.upper()}"
        for name in Settings.model_fields
        if f"| `SMARTERCHAT_{name.upper()}` |" not in README
    ]

    assert not missing, f"add these to README.md's table of settings: {missing}"

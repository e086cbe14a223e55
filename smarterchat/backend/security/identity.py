"""What a person types as a name, an e-mail address or a new password, checked once.

Names and addresses are NFKC-normalised (full-width and compatibility forms fold into
the ordinary ones), trimmed, and addresses lower-cased; control, invisible (zero-width,
fillers) and bidi-control characters are refused rather than stripped, so that
``bob.b\\u200b@x`` can never be a second account that looks like ``bob.b@x``. New
passwords are checked by a strength estimator (zxcvbn: common passwords, keyboard walks,
dates, the person's own name or address) as OWASP ASVS asks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from zxcvbn import zxcvbn

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer ones are refused, not truncated
MIN_STRENGTH = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses)

# Characters that draw nothing although not categorised as format characters.
_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f", "\u180e"}
# Unicode categories refused: control, format (zero-width, bidi marks and overrides),
# private use, surrogates, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


class InputProblem(ValueError):
    """``code`` is the i18n key (``error.<code>``) of what is wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _refused(ch: str) -> bool:
    # Ordinary whitespace (tab, newline) is folded into spaces before this check.
    return ch in _INVISIBLE or unicodedata.category(ch) in _REFUSED_CATEGORIES


def clean_text(value: str) -> str:
    """NFKC, whitespace runs as one space, trimmed; InputProblem("invalid_characters")."""
    value = unicodedata.normalize("NFKC", value or "")
    value = " ".join(re.split(r"[ \t\r\n]+", value)).strip()
    if any(_refused(ch) for ch in value):
        raise InputProblem("invalid_characters")
    return value


def clean_email(value: str) -> str:
    email = clean_text(value).lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InputProblem("invalid_email")
    return email


def password_problem(password: str, personal: Sequence[str] = ()) -> str | None:
    """The i18n key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        return "password_too_long"
    words = [part for item in personal for part in re.split(r"[@.\s_-]+", item.lower())
             if len(part) >= 3]
    verdict = zxcvbn(password, user_inputs=words)
    if verdict["score"] >= MIN_STRENGTH:
        return None
    warning = (verdict.get("feedback") or {}).get("warning") or ""
    if "common" in warning.lower():
        return "password_common"
    if any(word in password.lower() for word in words):
        return "password_personal"
    return "password_guessable"

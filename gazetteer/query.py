"""One query, validated: a place name as text, without control characters, not too long."""

from __future__ import annotations

import re

from .errors import InputError
from .normalize import fold, strip_controls

MAX_QUERY_CHARS = 200

_SPACE = re.compile(r"\s+")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTES = "\"'“”‘’«»`"


def clean_query(text: str) -> str:
    """Validate one query; raise InputError with what is wrong."""
    if not isinstance(text, str):
        raise InputError(f"a place name must be text, not {type(text).__name__}")
    if text.isascii() and text.isprintable():  # the common case, fast
        s = " ".join(text.split()).strip(_QUOTES).strip()
        if s and len(s) <= MAX_QUERY_CHARS and any(c.isalnum() for c in s):
            return s
    bad = _BAD_CONTROL.search(text)
    if bad:
        raise InputError(
            f"place name contains a control character (U+{ord(bad.group()):04X}) at position "
            f"{bad.start() + 1}"
        )
    s = _SPACE.sub(" ", strip_controls(text)).strip().strip(_QUOTES).strip()
    if not s:
        raise InputError("empty place name")
    if len(s) > MAX_QUERY_CHARS:
        raise InputError(
            f"place name too long ({len(s)} characters; at most {MAX_QUERY_CHARS})"
        )
    if not fold(s):
        raise InputError(f"place name {s!r} has no letters")
    return s

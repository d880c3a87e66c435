"""Numbers as reports write them: "35", "1,799", "nine", "forty-three", "a dozen", "dozens".

Vague quantities are coded as ACLED codes fatalities (ACLED, "Fatalities" FAQ, 2023: "ACLED
codes 10 for 'tens', 12 for 'dozens', 100 for 'hundreds', and so on"); "scores" and "thousands"
follow the same rule (20, 1000).  Words that give no number ("several", "a few", "many",
"some") are kept as a figure without a number: the report says people died, not how many.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12,
    "a couple of": 2, "a pair of": 2, "both": 2,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: ACLED's proxies for vague plurals.
VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}
#: Words that say "more than one" without a number.
UNCOUNTED = ("several", "a few", "few", "many", "some", "a number of", "numerous", "multiple",
             "a handful of", "unknown number of", "an unknown number of", "an unspecified number of",
             "unspecified number of")

_UNIT_WORDS = sorted((w for w in UNITS if w not in ("a", "an", "no", "single", "both")),
                     key=len, reverse=True)
_TEN_WORDS = sorted(TENS, key=len, reverse=True)
_WORD_NUM = (
    rf"(?:(?:{'|'.join(_TEN_WORDS)})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|(?:{'|'.join(re.escape(w) for w in _UNIT_WORDS)}))"
    rf"(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?(?:{'|'.join(_TEN_WORDS)}|"
    rf"{'|'.join(re.escape(w) for w in _UNIT_WORDS)})(?:[\s-](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?)?)?"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
_VAGUE = rf"(?:(?:several|many)\s+)?(?:{'|'.join(VAGUE)})(?:\s+of)?"
_UNCOUNTED = "|".join(re.escape(w) for w in sorted(UNCOUNTED, key=len, reverse=True))

#: A quantity: digits, number words, ACLED's vague plurals or uncounted words.
NUMBER = rf"(?:{_DIGITS}|{_VAGUE}|(?:a\s+)?{_WORD_NUM}|{_UNCOUNTED})"


QUALIFIERS = {
    "at least": "low", "no fewer than": "low", "no less than": "low", "more than": "more",
    "over": "more", "upwards of": "low", "in excess of": "more",
    "up to": "high", "as many as": "high", "at most": "high", "no more than": "high",
    "fewer than": "less", "less than": "less", "nearly": "high", "almost": "high",
    "around": "about", "about": "about", "some": "about", "roughly": "about",
    "approximately": "about", "an estimated": "about", "estimated": "about", "close to": "high",
    "possibly": "high",
}
QUALIFIER = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Quantity:
    value: int | None  # None: uncounted ("several")
    vague: bool = False  # ACLED's proxy for "dozens" etc.
    text: str = ""


def word_number(text: str) -> int | None:
    """'forty-three' -> 43, 'one hundred and five' -> 105, 'a dozen' -> 12; None if not one."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in UNITS:
        return UNITS[t]
    total = 0
    current = 0
    words = t.split()
    i = 0
    seen = False
    while i < len(words):
        w = words[i]
        two = " ".join(words[i:i + 2])
        three = " ".join(words[i:i + 3])
        if three in UNITS:
            current += UNITS[three]
            i += 3
            seen = True
            continue
        if two in UNITS:
            current += UNITS[two]
            i += 2
            seen = True
            continue
        if w == "and":
            i += 1
            continue
        if w in TENS:
            current += TENS[w]
        elif w in UNITS:
            current += UNITS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
        i += 1
    return total + current if seen else None


_DIGITS_RX = re.compile(_DIGITS)
_VAGUE_RX = re.compile(rf"(?:(?:several|many)\s+)?({'|'.join(VAGUE)})(?:\s+of)?")


@functools.lru_cache(maxsize=8192)
def parse_quantity(text: str) -> Quantity | None:
    """A quantity as written, or None when the text is not one (cached: a pure function of
    the text, and a Quantity is frozen)."""
    t = " ".join(text.strip().lower().split())
    if not t:
        return None
    if _DIGITS_RX.fullmatch(t):
        return Quantity(int(t.replace(",", "")), False, text)
    m = _VAGUE_RX.fullmatch(t)
    if m:
        return Quantity(VAGUE[m.group(1)], True, text)
    if t in UNCOUNTED or t.rstrip(" of") in UNCOUNTED:
        return Quantity(None, True, text)
    n = word_number(t)
    if n is not None:
        return Quantity(n, False, text)
    return None

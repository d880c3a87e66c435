"""One normalisation of place names, used for indexing and querying alike.

Three levels, each a function of the one before, so that equal at one level implies equal
at the next:

``fold``       case, diacritics and transliteration marks removed, punctuation to single spaces
               ("Qaşr al Ḩallābāt" -> "qasr al hallabat").  Equality here is an *exact* match.
``key``        ``fold`` without the Arabic article in any of its written forms (al-, el-, ad-,
               ar-, as-, ash-, ...), assimilated forms ("Ezzor", "Arraqqa") and spaces
               ("Deir ez-Zor" -> "deirzor").  Equality here is a *normalised* match.
``skeleton``   ``key`` with the usual romanisation alternations folded: Deir/Dayr/Dair,
               ee/i, ou/oo/o/u, aw/o, e/a, q/k, double letters, final -h, French -e,
               Abu/Albu/Al-Bu ("Dayr az Zawr", "Deir el-Zour" -> "dayrzur").  The index is keyed
               on the skeleton; candidates found through it are then graded by the finer levels.

Arabic script gets the same treatment: harakat and tatweel removed, alef/ya/ta-marbuta forms
unified, the article "ال" removed ("الميادين" -> "ميادين").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into base + mark.
_LATIN_EXTRA = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe",
        "Œ": "oe", "ß": "ss", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ə": "e", "Ə": "e",
        "ħ": "h", "Ħ": "h", "ŀ": "l", "ĸ": "k", "ŋ": "ng",
    }
)

# Transliteration marks for ayn and hamza, and apostrophes of every kind: removed, not spaced.
_MARKS = dict.fromkeys(
    map(ord, "'`´‘’ʼʻʽʾʿˈˊˋ′″\u02bc\u02b9\u02ba\u0374\u055a"), None
)

# Arabic: harakat, superscript alef, tatweel removed; letter variants unified.
_ARABIC = str.maketrans(
    {
        **dict.fromkeys(range(0x064B, 0x0660), None),
        0x0670: None,
        0x0640: None,
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
        "ک": "ك", "ی": "ي", "ې": "ي", "ە": "ه", "ھ": "ه",
        # Arabic-Indic digits
        **{0x0660 + i: str(i) for i in range(10)},
        **{0x06F0 + i: str(i) for i in range(10)},
    }
)

_NON_WORD = re.compile(r"[^\w]+|_")

# Written forms of the Arabic definite article (and its assimilated variants) as separate tokens.
ARTICLES = frozenset(
    ["al", "el", "il", "ul", "l", "ad", "ed", "adh", "edh", "ar", "er", "as", "es", "at", "et", "ath", "eth", "az", "ez", "an", "en", "ash", "esh", "aj", "ej", "ag", "ad-d"]
)
# Sun letters after which the article assimilates and is often written glued ("Ezzor",
# "Arraqqa", "Assusah").
_ASSIMILATED = re.compile(r"^[ae](tt|dd|rr|zz|ss|nn|shsh|thth|dhdh)(?=[aeiouy])")

# Token alternations that are spellings of one word.
_TOKEN_ALIASES = {
    **dict.fromkeys(["deir", "dayr", "dair", "der", "deyr", "dier"], "dayr"),
    **dict.fromkeys(["abu", "abou", "albu", "bu", "bou", "aboo", "abo"], "bu"),
    **dict.fromkeys(["tal", "tel", "tell", "tall", "till"], "tal"),
    **dict.fromkeys(["ain", "ayn", "ein", "aien", "ayin", "ayoun", "uyun"], "ayn"),
    **dict.fromkeys(["jabal", "jebel", "jabel", "jebal", "djebel", "gebel", "jbel"], "jabal"),
    **dict.fromkeys(["khirbet", "khirbat", "kherbet", "khirba", "khirbeh"], "khirbat"),
    **dict.fromkeys(["qasr", "kasr", "qsar", "qser"], "qasr"),
    **dict.fromkeys(["umm", "um", "om", "oum"], "umm"),
    **dict.fromkeys(["beit", "bayt", "bait", "beyt"], "bayt"),
    **dict.fromkeys(["kafr", "kfar", "kafar", "kefr", "kfr"], "kafr"),
    **dict.fromkeys(["wadi", "wady", "ouadi", "oued"], "wadi"),
    **dict.fromkeys(["sheikh", "shaikh", "shaykh", "cheikh", "sheik", "shekh"], "shaykh"),
    **dict.fromkeys(["mazraat", "mazraa", "mazraet"], "mazraa"),
    **dict.fromkeys(["hay", "hayy", "hai"], "hay"),
    **dict.fromkeys(["ibn", "ben", "bin"], "bin"),
    **dict.fromkeys(["bani", "beni", "bany"], "bani"),
    **dict.fromkeys(["saint", "st"], "saint"),
    **dict.fromkeys(["mount", "mt"], "mount"),
    **dict.fromkeys(["fort", "ft"], "fort"),
}

# Character-level alternations, one left-to-right pass (longest spellings first), then final or
# pre-consonant h after a vowel (Raqqah/Raqqa, Hasakeh/Hasaka) and doubled letters.
_ALTERNATIONS = {
    "dj": "j", "ph": "f", "ch": "sh",
    "ee": "i", "ie": "i", "ii": "i",
    "ou": "u", "oo": "u", "uu": "u", "aw": "u", "ow": "u", "o": "u",
    "ei": "ay", "ey": "ay", "ai": "ay", "ae": "ay",
    "e": "a", "q": "k", "c": "k",
}
_ALTERNATION_RE = re.compile("|".join(sorted(_ALTERNATIONS, key=len, reverse=True)))
_SILENT_H = re.compile(r"(?<=[aiu])h(?![aiuy])")
_DOUBLE = re.compile(r"(.)\1+")


def _fold_chars(s: str) -> str:
    s = _ALTERNATION_RE.sub(lambda m: _ALTERNATIONS[m.group(0)], s)
    if "h" in s:
        s = _SILENT_H.sub("", s)
    # (A function, not the template r"\1": the same text, without expanding a template per
    # match.)
    return _DOUBLE.sub(_first_group, s)


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """Remove control and bidi-formatting characters (never meaningful in a place name)."""
    return _CONTROL.sub("", text)


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case, diacritics and marks removed; punctuation and runs of space become one space."""
    if name.isascii() and name.isprintable():
        return " ".join(_NON_WORD.sub(" ", name.translate(_MARKS).lower()).split())
    s = strip_controls(name).translate(_MARKS)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_LATIN_EXTRA).casefold().translate(_ARABIC)
    s = unicodedata.normalize("NFC", s)
    return " ".join(_NON_WORD.sub(" ", s).split())


def _strip_arabic_article(token: str) -> str:
    if token.startswith("ال") and len(token) > 3:
        return token[2:]
    if token.startswith("وال") and len(token) > 4:  # "and the ..." as a prefix
        return token[3:]
    return token


def tokens(folded: str) -> list[str]:
    """Tokens of a folded name with the article removed wherever it is written."""
    toks = folded.split()
    out: list[str] = []
    n = len(toks)
    for i, t in enumerate(toks):
        if t in ARTICLES and i < n - 1:
            continue
        if t.startswith("ال"):
            t = _strip_arabic_article(t)
        elif len(t) > (4 if i > 0 else 5) and t[0] in "ae":  # (what _ASSIMILATED starts with)
            m = _ASSIMILATED.match(t)
            if m:
                t = t[1 + len(m.group(1)) // 2 :]
        out.append(t)
    return out or toks


def _skeleton_of(toks: list[str]) -> str:
    out = []
    for t in toks:
        t = _TOKEN_ALIASES.get(t, t)
        if len(t) > 3 and t[-1] == "e" and t.isascii() and t[-2] not in "aeiouy":
            t = t[:-1]  # French spellings: Hajine, Mayadine
        out.append(t)
    s = "".join(out)
    # Non-Latin scripts: the key is already as coarse as it should be.
    return _fold_chars(s) if s.isascii() else s


def key(name: str) -> str:
    """Folded name without article and spaces: the *normalised* match level."""
    return _key_skeleton(name)[0]  # (cached there, with the skeleton)


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The coarse key the index is built on: romanisation alternations folded."""
    return _key_skeleton(name)[1]


@lru_cache(maxsize=65536)
def _key_skeleton(name: str) -> tuple[str, str]:
    """(key, skeleton) from one pass over the tokens: a query needs both."""
    toks = tokens(fold(name))
    return "".join(toks), _skeleton_of(toks)


def levels(name: str) -> tuple[str, str, str]:
    """(fold, key, skeleton) of a name, computed in one pass (no caching: for index builds)."""
    f = fold.__wrapped__(name)
    toks = tokens(f)
    return f, "".join(toks), _skeleton_of(toks)

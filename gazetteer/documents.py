"""Resolution in context, as geoparsers are evaluated: a document's text and its toponym spans
in, each mention's place out.

The whole document is the context: the other mentions (resolved together, unambiguous ones
anchoring the rest, see :meth:`Gazetteer.resolve_document`) and country cues in the text —
country names and demonyms ("Philippine", "Kenyan", "Syrian"; from ``data/gazetteer/
countries.csv``).

Input (one JSON object per line, as ``geoevents resolve --mentions FILE.jsonl`` reads it)::

    {"id": "doc1", "text": "...", "mentions": [{"start": 10, "end": 18}, ...]}

``toponyms`` is accepted for ``mentions`` (the GeoVirus/Gritta et al. layout).  Output per
document: ``{"id", "mentions": [{"start", "end", "text", "status", "name", "lat", "lon", ...}]}``;
an ambiguous mention still carries its best candidate (``status`` says so).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths
from .errors import InputError
from .model import Context, Place, Resolution
from .resolver import Gazetteer


@dataclass(slots=True)
class Document:
    id: str
    text: str
    spans: list[tuple[int, int]]
    line: int = 0


@lru_cache(maxsize=1)
def _cue_table() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    path = paths.shipped_data("gazetteer", "countries.csv")
    words: dict[str, str] = {}
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            rows = csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#"))
            for r in rows:
                for w in (r.get("demonyms") or "").split("|"):
                    w = w.strip()
                    if len(w) >= 4:
                        words.setdefault(w.lower(), r["iso2"])
                for w in (r.get("aliases") or "").split("|"):
                    w = w.strip()
                    if len(w) >= 4 and not w.isupper():
                        words.setdefault(w.lower(), r["iso2"])
    if not words:
        return None, {}
    alts = sorted(words, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in alts) + r")(?:s|es)?\b",
                         re.I)
    return pattern, words


def country_cues(text: str, *, limit: int = 4) -> list[str]:
    """ISO codes of the countries a text names or whose demonyms it uses, most cited first."""
    pattern, words = _cue_table()
    if pattern is None:
        return []
    counts = Counter(words[m.group(1).lower()] for m in pattern.finditer(text))
    return [cc for cc, _ in counts.most_common(limit)]


def resolve_mentions(gz: Gazetteer, doc: Document, context: Context | None = None
                     ) -> list[Resolution]:
    """Each span of the document resolved with the document as context."""
    names = [doc.text[s:e] for s, e in doc.spans]
    # The cues come from the rest of the text: a mention is no evidence for its own reading
    # ("Georgia" next to Alabama and Iowa is the state; the mentions inform each other through
    # resolve_document, and a country named elsewhere in the text still counts).
    rest = list(doc.text)
    for s, e in doc.spans:
        rest[s:e] = " " * (e - s)
    cues = country_cues("".join(rest))
    base = context or Context()
    # Cues are evidence, not a focus: they lower the score of places elsewhere, never refuse.
    ctx = base.with_(cues=tuple(dict.fromkeys((*base.cues, *cues))))
    res = gz.resolve_document(names, ctx)
    return place_addresses_at_locality(names, res, doc.spans)


#: Confidence of an address part placed at the document's town (a guess from the text).
LOCALITY_CONFIDENCE = 0.3
#: Kinds a document's town may be: a place where streets and facilities are.
_LOCALITY_KINDS = frozenset({"populated_place"})


def _resolved_town(r: Resolution) -> bool:
    """A town placed by the gazetteer itself (not by its document)."""
    return (r.status == "resolved" and r.place is not None and r.place.kind in _LOCALITY_KINDS
            and r.match != "context")


def document_locality(res: list[Resolution]) -> tuple[Place, int] | None:
    """The town a document is about: the populated place its resolved mentions name most often
    (ties: the one named first), with the count; None when it names no town."""
    counts: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for r in res:
        p = r.place
        if p is None or not _resolved_town(r):
            continue
        counts[p.uid] += 1
        first.setdefault(p.uid, p)
    if not counts:
        return None
    order = list(first)
    uid = max(counts, key=lambda u: (counts[u], -order.index(u)))
    return first[uid], counts[uid]


def _word_re(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text.casefold()) + r"(?!\w)")


def place_by_contained_mention(names: list[str], res: list[Resolution]) -> list[Resolution]:
    """An unknown mention that holds, as whole words, another mention of the same document
    that was placed ("Comfort Inn Clifton Hill" beside "Clifton Hill", "Reikartz Yalta" beside
    "Yalta") is at that place: the longest such mention; precision 2, match ``context``, low
    confidence.  Countries and world regions (precision 3) are not used: "Hotel Ukraine" is
    somewhere in Ukraine, not at its point."""
    placed = {}
    for name, r in zip(names, res, strict=True):
        p = r.place
        if (r.status == "resolved" and p is not None and r.match != "context"
                and (r.precision or p.precision) <= 2 and len(name.strip()) >= 3):
            placed.setdefault(name.strip().casefold(), r)
    out = list(res)
    if not placed:
        return out
    words = {k: _word_re(k) for k in placed}  # (compiled once, not once per unknown mention)
    for i, (name, r) in enumerate(zip(names, res, strict=True)):
        if r.place is not None or r.status != "unresolved":
            continue
        own = name.strip().casefold()
        inside = [k for k in placed if k != own and len(k) < len(own) and words[k].search(own)]
        if not inside:
            continue
        k = max(inside, key=lambda t: (len(t), t))
        p = placed[k].place
        assert p is not None
        out[i] = Resolution(
            query=r.query, status="resolved", place=p, match="context", matched_name=p.name,
            confidence=LOCALITY_CONFIDENCE, precision=2,
            reason=(f"{name!r} is not in the gazetteer; it holds {placed[k].query!r}, placed in "
                    f"the same document at {p.name!r}"))
    return out


#: An address names its town within this many characters ("Sloane Street, London SW1X 9SP").
ADDRESS_WINDOW = 80


def _town(r: Resolution) -> bool:
    """A town an address beside it may be in: resolved, or ambiguous (its best reading; the
    address is then as ambiguous)."""
    return (r.status in ("resolved", "ambiguous") and r.place is not None
            and r.place.kind in _LOCALITY_KINDS and r.match != "context")


def place_addresses_at_locality(names: list[str], res: list[Resolution],
                                spans: list[tuple[int, int]] | None = None
                                ) -> list[Resolution]:
    """Mentions no gazetteer holds that are address parts or facilities (a street, a house or
    postal number, "Hotel X": :func:`gazetteer.landmarks.is_address_part`) are placed at their
    town: the town mentioned nearest to them in the text within :data:`ADDRESS_WINDOW`
    characters (an address names its town), else the town the document is about
    (:func:`document_locality`).  Precision 2 ("in or near"), match ``context``, low
    confidence, and the reason says which.  Any other unknown name stays unresolved (an unknown
    village is not the town of the report)."""
    from .landmarks import is_address_part

    out = place_by_contained_mention(names, res)
    loc = document_locality(res)
    if loc is None and spans is None:
        return out
    for i, (name, r) in enumerate(zip(names, res, strict=True)):
        if out[i] is not r or r.place is not None or r.status != "unresolved" or \
                not is_address_part(name):
            continue
        place: Place | None = None
        why, status = "", "resolved"
        if loc is not None:
            place, why = loc[0], f"the town the document names most ({loc[1]}x)"
        if spans is not None:
            s, e = spans[i]
            gaps = [(max(s2 - e, s - e2), j) for j, (s2, e2) in enumerate(spans)
                    if j != i and _town(res[j])]
            near = [(g, j) for g, j in gaps if g <= ADDRESS_WINDOW]
            if near:
                beside = res[min(near)[1]]
                place, status = beside.place, beside.status
                why = "the town named beside it" + (
                    f" (itself ambiguous: {beside.reason})" if status == "ambiguous" else "")
        if place is None:
            continue
        out[i] = Resolution(
            query=r.query, status=status, place=place, match="context",  # type: ignore[arg-type]
            matched_name=place.name, confidence=LOCALITY_CONFIDENCE, precision=2,
            reason=(f"{name!r} is not in the gazetteer; an address or facility, placed at "
                    f"{place.name!r}, {why}"))
    return out


def mention_dict(start: int, end: int, text: str, r: Resolution) -> dict[str, Any]:
    d = r.to_dict(candidates=0)
    out: dict[str, Any] = {"start": start, "end": end, "text": text}
    out.update({k: d[k] for k in ("status", "name", "lat", "lon", "country", "admin1_name",
                                  "kind", "feature_code", "precision", "match", "confidence",
                                  "id", "source", "reason", "relation")})
    return out


def read_documents(path: str | Path) -> Iterator[Document]:
    """Documents from a JSON-lines file ('-' for stdin); errors name file, line and field."""
    import sys

    label = str(path)
    f = sys.stdin if label == "-" else None
    if f is None:
        p = Path(path)
        if not p.is_file():
            raise InputError("no such file", file=label)
        f = open(p, encoding="utf-8")  # noqa: SIM115 (closed below)
    try:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON ({exc.msg})", file=label, line=lineno
                                 ) from None
            except UnicodeDecodeError:
                raise InputError("not UTF-8 text", file=label, line=lineno) from None
            if not isinstance(obj, dict):
                raise InputError("each line must be a JSON object", file=label, line=lineno)
            text = obj.get("text")
            if not isinstance(text, str):
                raise InputError("'text' must be a string", file=label, line=lineno,
                                 field="text")
            raw = obj.get("mentions", obj.get("toponyms"))
            if not isinstance(raw, list):
                raise InputError("'mentions' must be a list of {start, end}", file=label,
                                 line=lineno, field="mentions")
            spans = []
            for i, m in enumerate(raw):
                s, e = (m.get("start"), m.get("end")) if isinstance(m, dict) else (None, None)
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                    raise InputError(f"mention {i}: start/end must be offsets into the text "
                                     f"(0 <= start < end <= {len(text)})", file=label,
                                     line=lineno, field="mentions")
                spans.append((s, e))
            yield Document(str(obj.get("id", lineno)), text, spans, lineno)
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=label) from None
    finally:
        if f is not sys.stdin:
            f.close()

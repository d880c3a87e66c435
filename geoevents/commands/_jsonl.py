"""One answer as a compact JSON object, fast: the JSON Lines of ``resolve --file --json``.

:func:`answer_head` writes the same bytes as ``json.JSONEncoder(ensure_ascii=False,
separators=(",", ":")).encode(r.to_dict(candidates=0))`` without the ``candidates`` key and the
closing brace (the caller appends ``"line"`` and ``"explain"``), without building the dict or
walking it generically.  Anything it does not know how to write the way the encoder would (a value
of another type, a float that is not finite, anchors) goes through the encoder itself, so the
bytes never differ (``tests/test_cli_resolve.py`` checks both ways on many answers).
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring as _string  # the C one where there is one
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _value(x: Any) -> str:
    """A scalar as the encoder writes it (anything else: the encoder itself)."""
    if x is None:
        return "null"
    t = type(x)
    if t is str:
        return _string(x)
    if t is float:
        return float.__repr__(x) if math.isfinite(x) else _encode(x)
    if t is int:
        return int.__repr__(x)
    return _encode(x)


def _floats(xs: Any) -> str:
    """``list(xs)`` if xs else None, as the encoder writes it."""
    if not xs:
        return "null"
    return "[" + ",".join(_value(x) for x in xs) + "]"


def answer_head(r: Any) -> str:
    """``r.to_dict(candidates=0)`` without ``candidates``, encoded, without the closing brace."""
    v = _value
    p = r.place
    if p is None:
        place = ('"name":null,"country":null,"admin1":null,"admin1_name":null,"lat":null,'
                 '"lon":null,"kind":null,"feature_code":null,"population":null,"source":null,'
                 '"id":null,"geonames_id":null,"bbox":null,"centroid":null')
    else:
        place = (f'"name":{v(p.name)},"country":{v(p.country)},"admin1":{v(p.admin1)},'
                 f'"admin1_name":{v(p.admin1_name)},"lat":{v(p.lat)},"lon":{v(p.lon)},'
                 f'"kind":{v(p.kind)},"feature_code":{v(p.feature_code)},'
                 f'"population":{v(p.population)},"source":{v(p.source)},"id":{v(p.uid)},'
                 f'"geonames_id":{v(p.geonames_id)},"bbox":{_floats(p.bbox)},'
                 f'"centroid":{_floats(p.centroid)}')
    sugg = r.suggestions
    anchors = r.anchors
    return (f'{{"query":{v(r.query)},"status":{v(r.status)},{place},"match":{v(r.match)},'
            f'"matched_name":{v(r.matched_name)},"confidence":{v(round(r.confidence, 3))},'
            f'"precision":{v(r.precision)},"reason":{v(r.reason)},'
            f'"suggestions":{"[" + ",".join(v(s) for s in sugg) + "]" if sugg else "[]"},'
            f'"relation":{v(r.relation)},"phrase":{v(r.phrase)},'
            f'"bearing_deg":{v(r.bearing_deg)},"offset_km":{v(r.offset_km)},'
            f'"anchors":{_encode(r.to_dict(candidates=0)["anchors"]) if anchors else "[]"}')

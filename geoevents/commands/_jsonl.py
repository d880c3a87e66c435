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
    # Inline tests (no call per value) for the usual types; anything else goes to _value.
    v, S, R = _value, _string, float.__repr__
    p = r.place
    if p is None:
        place = _NO_PLACE
    else:
        name, country, admin1, a1name, lat, lon, kind, fcode, pop, src, uid, gid = (
            p.name, p.country, p.admin1, p.admin1_name, p.lat, p.lon, p.kind,
            p.feature_code, p.population, p.source, p.uid, p.geonames_id)
        place = (
            f'"name":{S(name) if type(name) is str else v(name)},'
            f'"country":{S(country) if type(country) is str else v(country)},'
            f'"admin1":{S(admin1) if type(admin1) is str else v(admin1)},'
            f'"admin1_name":{S(a1name) if type(a1name) is str else v(a1name)},'
            f'"lat":{R(lat) if type(lat) is float and lat - lat == 0.0 else v(lat)},'
            f'"lon":{R(lon) if type(lon) is float and lon - lon == 0.0 else v(lon)},'
            f'"kind":{S(kind) if type(kind) is str else v(kind)},'
            f'"feature_code":{S(fcode) if type(fcode) is str else v(fcode)},'
            f'"population":{int.__repr__(pop) if type(pop) is int else v(pop)},'
            f'"source":{S(src) if type(src) is str else v(src)},'
            f'"id":{S(uid) if type(uid) is str else v(uid)},'
            f'"geonames_id":{int.__repr__(gid) if type(gid) is int else v(gid)},'
            f'"bbox":{_floats(p.bbox)},"centroid":{_floats(p.centroid)}')
    q, status, match, mname, conf, prec, reason = (
        r.query, r.status, r.match, r.matched_name, round(r.confidence, 3), r.precision,
        r.reason)
    head = (f'{{"query":{S(q) if type(q) is str else v(q)},'
            f'"status":{S(status) if type(status) is str else v(status)},{place},'
            f'"match":{S(match) if type(match) is str else v(match)},'
            f'"matched_name":{S(mname) if type(mname) is str else v(mname)},'
            f'"confidence":{R(conf) if type(conf) is float and conf - conf == 0.0 else v(conf)},'
            f'"precision":{int.__repr__(prec) if type(prec) is int else v(prec)},'
            f'"reason":{"null" if reason is None else v(reason)},')
    sugg = r.suggestions
    if (r.relation is None and r.phrase is None and r.bearing_deg is None
            and r.offset_km is None and not r.anchors):  # a name, not a phrase
        tail = _NO_PHRASE
    else:
        tail = (f'"relation":{v(r.relation)},"phrase":{v(r.phrase)},'
                f'"bearing_deg":{v(r.bearing_deg)},"offset_km":{v(r.offset_km)},'
                f'"anchors":{_encode(r.to_dict(candidates=0)["anchors"]) if r.anchors else "[]"}')
    return (f'{head}"suggestions":{"[" + ",".join(v(s) for s in sugg) + "]" if sugg else "[]"},'
            f'{tail}')


_NO_PLACE = ('"name":null,"country":null,"admin1":null,"admin1_name":null,"lat":null,'
             '"lon":null,"kind":null,"feature_code":null,"population":null,"source":null,'
             '"id":null,"geonames_id":null,"bbox":null,"centroid":null')
_NO_PHRASE = '"relation":null,"phrase":null,"bearing_deg":null,"offset_km":null,"anchors":[]'

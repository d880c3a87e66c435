"""A one-page HTML briefing: the interactive map (in a sandboxed frame), the static image (for
print and for readers without scripts), a table of incidents with dates, places, casualties and
sources, the control lines, and the attribution.  Self-contained: no file beside it, no request.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from . import style
from .basemap import Basemap

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 16px 20px 40px; color: #1a1a1a; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 22px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.sub { color: #555; margin: 0 0 12px; }
.static img { max-width: 100%; height: auto; border: 1px solid #ccc; }
table.incidents { border-collapse: collapse; width: 100%; font-size: 12.5px; }
table.incidents th { text-align: left; background: #f2f2f2; border-bottom: 2px solid #ccc;
  padding: 4px 6px; position: sticky; top: 0; }
table.incidents td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; vertical-align: top; }
td.date { white-space: nowrap; }
td.notes { font-size: 12px; color: #333; max-width: 260px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.approx { color: #8a4b00; font-weight: 600; }
.muted { color: #666; }
.quote { font-style: italic; color: #444; }
.type { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 4px; vertical-align: baseline; }
ul.cas, ol.src { margin: 0; padding-left: 16px; }
.more { color: #8a4b00; font-weight: 600; }
footer { margin-top: 24px; color: #555; font-size: 12px; }
@media print {
  .interactive { display: none; }
  body { max-width: none; padding: 0; }
  table.incidents th { position: static; }
}
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _safe_url(u: str) -> str | None:
    u = (u or "").strip()
    return u if u.lower().startswith(("http://", "https://")) and not any(
        c.isspace() for c in u) else None


def _figure(lo: Any, best: Any, hi: Any) -> str:
    """"78", "78 (39–78)", "at least 3", "up to 12", "" (never a placeholder)."""
    if best is not None:
        spread = (lo is not None and lo != best) or (hi is not None and hi != best)
        return f"{best}" + (f" ({lo if lo is not None else best}–{hi if hi is not None else best})"
                            if spread else "")
    if lo is not None and hi is not None:
        return f"{lo}" if lo == hi else f"{lo}–{hi}"
    if lo is not None:
        return f"at least {lo}"
    if hi is not None:
        return f"up to {hi}"
    return ""


def incidents_table(doc: dict[str, Any], max_rows: int | None = None) -> str:
    """The incidents as an HTML table (every report string escaped), in date order; with
    ``max_rows``, the first ones and a line saying how many more the map holds."""
    import numpy as np

    from .html import record

    inc, S, types = doc["inc"], doc["S"], doc["types"]

    def s(i: int | None) -> str:
        return "" if i is None else S[i]

    n = len(inc["id"])
    d0 = np.array([d if d is not None else 10**9 for d in inc["d0"]], dtype=np.int64)
    ids = np.array(inc["id"], dtype=object)
    order = np.lexsort((ids, d0)).tolist() if n else []
    rows = []
    more = 0
    if max_rows is not None and len(order) > max_rows:
        more = len(order) - max_rows
        order = order[:max_rows]
    for i in order:
        x, t, p = record(doc, i), types[inc["t"][i]], inc["p"][i]
        if not x["ds"] and not x["de"]:
            date = "<span class='muted'>date unknown</span>"
        elif x["ds"] == (x["de"] or x["ds"]) or not x["ds"]:
            date = _e(x["ds"] or f"by {x['de']}")
        else:
            date = f"{_e(x['ds'])}<br>to {_e(x['de'])}"
        prec = style.PRECISION_LABEL.get(p, f"geo_precision {p}")
        shown = x["nm"] or s(x["pr"]) or x["pl"] or "place unknown"
        place = (f"<b>{_e(shown)}</b>"
                 + (f"<br><span class='muted'>as written: “{_e(x['pl'])}”</span>"
                    if x["pl"] and x["pl"] != shown else "")
                 + (f"<br><span class='muted'>gazetteer: {_e(s(x['pr']))}</span>"
                    if s(x["pr"]) and s(x["pr"]) != shown else "")
                 + f"<br><span class='{'approx' if p >= 2 else 'muted'}'>{_e(prec)}</span>")
        area = ", ".join(_e(v) for v in (s(x["a1"]), x["cn"] or s(x["cc"])) if v)
        actors = " vs ".join(_e(a) for a in (s(x["a"][0]), s(x["a"][1])) if a)
        if s(x["a"][2]):
            actors += f"<br><span class='muted'>with {_e(s(x['a'][2]))}</span>"
        cas_items = []
        quoted: set[str] = {q for _o, _u, _p, q in x["src"] if q}
        for c in x["cas"]:
            fig = _figure(c[2], c[3], c[4])
            quote = c[6] if c[6] and c[6] not in quoted else ""
            if quote:
                quoted.add(quote)
            if not fig and not quote:
                continue
            who = s(c[5])
            cas_items.append(
                "<li>" + _e(s(c[0]) or "side not stated") + " " + _e(s(c[1]) or "killed")
                + (f": {_e(fig)}" if fig else "")
                + (f" <span class='muted'>per {_e(who)}</span>" if who else "")
                + (f"<br><span class='quote'>“{_e(quote)}”</span>" if quote else "") + "</li>")
        cas = "".join(cas_items)
        claims = "".join(
            f"<li><b>{_e(s(c[0]) or 'Unattributed')}</b> claims: {_e(c[1])}"
            + (f"; not confirmed by {_e(', '.join(s(v) for v in c[3]))}" if c[3] else "")
            + (f"; confirmed by {_e(', '.join(s(v) for v in c[2]))}" if c[2] else "") + "</li>"
            for c in x["cl"])
        srcs = []
        for o, u, pub, q in x["src"]:
            url = _safe_url(s(u))
            name = _e(s(o) or (url.split("/")[2] if url else "unnamed source"))
            head = (f"<a href='{_e(url)}' rel='noopener noreferrer'>{name}</a>" if url
                    else f"<b>{name}</b>")
            srcs.append(f"<li>{head}" + (f" <span class='muted'>({_e(pub)})</span>" if pub else "")
                        + (f"<br><span class='quote'>“{_e(q)}”</span>" if q else "") + "</li>")
        side = ""
        if x.get("z") and (doc["lines"] or doc["zones"]):
            z = x["z"]
            if z[5]:
                side = "<br><span class='approx'>near the control line: side not assigned</span>"
            elif s(z[0]):
                side = f"<br><span class='muted'>in the {_e(s(z[0]))} zone</span>"
        fat = _figure(x["fl"], x["fb"], x["fh"])
        dp = s(x["dp"])
        rows.append(
            f"<tr data-incident='{_e(inc['id'][i])}'><td class='date'>{date}"
            + (f"<br><span class='muted'>{_e(dp)}</span>" if dp and dp != "unknown" else "")
            + f"</td><td>{place}{side}</td><td>{area}</td>"
            f"<td><span class='type' style='background:{_e(t['color'])}'></span>{_e(t['name'])}"
            + (f"<br><span class='muted'>{_e(s(x['st']))}</span>" if s(x["st"]) else "")
            + f"</td><td>{actors}</td><td class='num'>{_e(fat)}</td>"
            f"<td>{'<ul class=cas>' + cas + '</ul>' if cas else ''}"
            f"{'<ul class=cas>' + claims + '</ul>' if claims else ''}</td>"
            f"<td><ol class='src'>{''.join(srcs)}</ol></td>"
            f"<td class='notes'>{_e(x['no'])}</td></tr>")
    note = (f"<p class='more'>The table lists the first {len(order):,} of {n:,} incidents by "
            f"date; the other {more:,} are on the map (and in the exports).</p>\n"
            if more else "")
    return (note + "<table class='incidents'><thead><tr><th>Date</th><th>Place</th>"
            "<th>Admin-1, country</th><th>Event</th><th>Actors</th><th>Killed (best, low–high)"
            "</th><th>Casualties and claims by source</th><th>Sources</th><th>Notes</th></tr>"
            "</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def render_brief(incidents: Any, lines: Any = None, zones: Any = None, *,
                 basemap: Basemap | None = None, title: str = "Incident briefing",
                 subtitle: str | None = None, attribution: tuple[str, ...] | list[str] = (),
                 tiles: str | None = None, png: bytes | None = None,
                 map_html: str | None = None, max_rows: int = 2000) -> str:
    """The briefing page.  ``png``/``map_html`` reuse images already rendered (else they are
    made here); the table lists at most ``max_rows`` incidents (and says how many more the map
    holds)."""
    from .html import build_document, render_fragment, render_html
    from .image import render_static

    doc = build_document(incidents, lines, zones, basemap=basemap, title=title,
                         subtitle=subtitle, attribution=attribution)
    if map_html is None:
        map_html = render_html(incidents, lines, zones, basemap=basemap, title=title,
                               subtitle=subtitle, attribution=attribution, tiles=tiles,
                               document=doc)
    if png is None:
        png = render_static(incidents, lines, zones, basemap=basemap, title=title,
                            subtitle=subtitle, attribution=attribution, document=doc)
    img = base64.b64encode(png).decode("ascii")
    def bank(which: str, ln: dict[str, Any]) -> str:
        party, side = ln[f"party_{which}"], ln[f"side_{which}"]
        if not party:
            return ""
        return f"{which} bank" + (f" ({_e(side)})" if side else "") + f" {_e(party)}"

    def valid(ln: dict[str, Any]) -> str:
        a, b = ln["valid_from"], ln["valid_to"]
        if not a and not b:
            return "valid at all dates"
        return "valid " + (f"from {_e(a)}" if a else "") + (" " if a and b else "") + (
            f"to {_e(b)}" if b else "")

    line_items = "".join(
        f"<li><b>{_e(ln['name'] or ln['id'])}</b>: "
        + "; ".join(v for v in (bank("left", ln), bank("right", ln), valid(ln)) if v) + "</li>"
        for ln in doc["lines"])
    parts = [
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(doc['subtitle'])}</p></header>\n",
        "<section class='interactive'><h2>Interactive map</h2>\n",
        render_fragment(map_html, title=title, height="560px"),
        "</section>\n<section class='static'><h2>Map</h2>\n",
        f"<img alt='{_e('Static map: ' + title)}' src='data:image/png;base64,{img}'>\n</section>\n",
        f"<section><h2>Incidents ({len(doc['inc']['id'])})</h2>\n{incidents_table(doc, max_rows)}\n</section>\n",
    ]
    if line_items:
        parts.append(f"<section><h2>Control lines</h2><ul>{line_items}</ul></section>\n")
    parts.append("<footer>" + " · ".join(_e(a) for a in doc["attribution"]) + "</footer>\n"
                 "</body>\n</html>\n")
    return "".join(parts)

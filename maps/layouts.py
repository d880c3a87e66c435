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


def _countries() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(name -> ISO2, code -> ISO2, ISO2 -> name, ISO2 -> numeric), see :mod:`maps.countries`."""
    from .countries import _tables

    names, codes, _fips, name_of, num_of = _tables()
    return names, codes, name_of, num_of


def _iso2(values: pd.Series, *, fips: bool = False) -> pd.Series:
    """ISO2 codes of a column of country names or codes, computed once per distinct value."""
    from .countries import to_iso2

    return _json_strings(values, lambda v: to_iso2(v, fips=fips))


def _json_strings(values, build) -> pd.Series:
    """Apply ``build`` (value -> JSON text) once per distinct value: exports repeat values.
    ``values`` may be a tuple of columns: ``build`` then gets their values joined by
    ``"\x1f"``, worked out per distinct combination (no joined column is built)."""
    import pyarrow as pa

    if isinstance(values, tuple):
        parts = [pd.factorize(v, use_na_sentinel=False) for v in values]
        combined = np.zeros(len(values[0]), dtype=np.int64)
        for p_codes, uniques in parts:  # kept below n * n: no overflow
            combined = pd.factorize(combined * len(uniques) + p_codes)[0]
        first_rows = np.unique(combined, return_index=True)[1]
        columns = [[uniques[c] for c in p_codes[first_rows].tolist()] for p_codes, uniques
                   in parts]
        keys = []
        for vals in zip(*columns, strict=True):
            na = [v for v in vals if pd.isna(v)]
            keys.append(na[0] if na else "\x1f".join(map(str, vals)))
        built = pa.array([build(k) for k in keys], type=pa.string())
        return pd.Series(pd.arrays.ArrowStringArray(built.take(pa.array(combined))),
                         index=values[0].index)
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


#: Date forms exports and spreadsheets write, tried in this order on the values that are not
#: ISO (each distinct value once).  Two-digit years are 1969-2068 (Python's rule).  Slash dates
#: (3/4/2022) are day-first or month-first by the table's own evidence or ``--dayfirst``.
DATE_FORMATS: tuple[str, ...] = (
    "%d %B %Y", "%d-%B-%Y", "%d-%b-%Y", "%d %b %Y", "%d-%b-%y", "%d-%B-%y", "%d %b %y",
    "%d %B %y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d", "%d.%m.%Y",
    "%Y%m%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M",
)
_SLASH = ("%d/%m/%Y", "%d/%m/%y")
_SLASH_US = ("%m/%d/%Y", "%m/%d/%y")


class AmbiguousDates(ValueError):
    """Slash dates that read as day-first and as month-first, with nothing in the table to
    decide; the reader stops and asks for ``--dayfirst`` / ``--monthfirst``."""


def _parse_one(v: str, formats: tuple[str, ...]) -> str:
    from datetime import datetime

    v = v.strip()
    for fmt in formats:
        try:
            return datetime.strptime(v, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _parse_many(values: list[str], formats: tuple[str, ...]) -> dict[str, str]:
    """``_parse_one`` for each value, the format that read the last value tried first: a file
    writes its dates one way, so the format is found once, not once per value."""
    from datetime import datetime

    out: dict[str, str] = {}
    order = list(formats)
    for v in values:
        w = v.strip()
        out[v] = ""
        for i, fmt in enumerate(order):
            try:
                out[v] = datetime.strptime(w, fmt).date().isoformat()
            except ValueError:
                continue
            if i:
                order.insert(0, order.pop(i))
            break
    return out


def _dates(s: pd.Series, dayfirst: bool | None = None, field: str = "date") -> pd.Series:
    """ISO date text ("2018-05-23") from dates as exports write them (ISO, "23 May 2018",
    "23-May-2018", "05-Jan-22", "9-May-20", ...); "" where it is not a date.  Slash dates are
    read day-first or month-first for the whole column: ``dayfirst`` when given, else what the
    values themselves show (a day above 12); :class:`AmbiguousDates` when they show nothing
    or both."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(s)
    head = pc.utf8_slice_codeunits(arr, 0, 10)
    iso_like = pc.match_substring_regex(head, r"^\d{4}-\d{2}-\d{2}$")
    parsed = pc.strptime(pc.if_else(iso_like, head, pa.scalar(None, pa.string())),
                         format="%Y-%m-%d", unit="s", error_is_null=True)
    # Arrow reads "2018-02-31" as 3 March: a date is valid only if its day is the one written.
    written_day = pc.cast(pc.if_else(iso_like, pc.utf8_slice_codeunits(head, 8, 10),
                                     pa.scalar(None, pa.string())), pa.int64())
    ok = pc.fill_null(pc.equal(pc.day(parsed), written_day), False)
    # "2018-05-23 10:00" and "2018-05-23T10:00:00Z" are that day; "2018-05-23x" is not a date.
    rest = pc.utf8_slice_codeunits(arr, 10, 1 << 30)
    ok = pc.and_(ok, pc.fill_null(pc.match_substring_regex(
        rest, r"^(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"), False))
    text = pc.if_else(ok, head, pa.scalar("", pa.string()))
    out = pd.Series(pd.arrays.ArrowStringArray(text), index=s.index)
    bad_mask = pc.invert(ok)
    if not pc.any(bad_mask).as_py():
        return out
    # The other values: each distinct one parsed once (Arrow's dictionary of the column).
    enc = pc.dictionary_encode(pc.fill_null(arr.filter(bad_mask), ""))
    enc = enc.combine_chunks() if hasattr(enc, "combine_chunks") else enc
    raw = enc.dictionary.to_pylist()
    uniques = list(dict.fromkeys(u.strip() for u in raw))
    fixed = {"": ""}
    fixed.update(_parse_many([u for u in uniques if u], DATE_FORMATS))
    slash = [u for u in uniques if not fixed[u] and u.count("/") == 2]
    if slash:
        if dayfirst is None:
            d_only = [u for u in slash if _parse_one(u, _SLASH) and not _parse_one(u, _SLASH_US)]
            m_only = [u for u in slash if _parse_one(u, _SLASH_US) and not _parse_one(u, _SLASH)]
            both = [u for u in slash if _parse_one(u, _SLASH) and _parse_one(u, _SLASH_US)]
            if d_only and m_only:
                raise AmbiguousDates(
                    f"{field}: some dates are day-first ({d_only[0]}) and some month-first "
                    f"({m_only[0]}); give --dayfirst or --monthfirst")
            if d_only or m_only:
                dayfirst = bool(d_only)
            elif both:
                raise AmbiguousDates(
                    f"{field}: dates such as {both[0]} can be day-first or month-first and "
                    "nothing in the table tells which; give --dayfirst or --monthfirst")
        for u in slash:
            fixed[u] = _parse_one(u, _SLASH if dayfirst else _SLASH_US)
    read = pa.array([fixed[u.strip()] for u in raw], type=text.type).take(enc.indices)
    text = pc.replace_with_mask(text, bad_mask, read)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=s.index)


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


#: No single incident has had this many casualties: a larger count is a typing or export error.
MAX_COUNT = 10_000_000


def _count(raw: pd.Series, field: str) -> tuple[pd.Series, list]:
    """A column of counts (fatalities, best, low, ...) as Int64, and the checks that reject a
    row: not a number, not a whole number, negative, implausibly large.  The bad values are
    left missing, so that the column can always be cast."""
    num = _num(raw)
    txt = raw.str.strip()
    not_num = num.isna() & (txt != "")
    frac = num.notna() & (np.floor(num.fillna(0)) != num.fillna(0))
    neg = num.notna() & (num < 0) & ~frac
    big = num.notna() & (num > MAX_COUNT) & ~frac
    bad = not_num | frac | neg | big
    checks = [
        (not_num, field, raw, field + " {v} is not a number"),
        (frac, field, raw, field + " {v} is not a whole number"),
        (neg, field, raw, field + " {v} is negative"),
        (big, field, raw, field + " {v} is larger than any recorded incident (more than "
         f"{MAX_COUNT:,})"),
    ]
    return num.where(~bad).astype("Int64"), checks


def _coord_checks(lat: pd.Series, lon: pd.Series) -> list:
    """Coordinates that are written but are not numbers (``lat abc``); missing ones are
    reported by the frame's checks ("no latitude")."""
    out = []
    for raw, name in ((lat, "latitude"), (lon, "longitude")):
        out.append((_num(raw).isna() & (raw.str.strip() != ""), name, raw,
                    name + " {v} is not a number"))
    return out


def content_ids(t: pd.DataFrame, prefix: str, rows: pd.Series) -> pd.Series:
    """Stable ids for the rows (mask) that have none: ``prefix`` + the first 12 hex digits of
    the SHA-1 of the row's values (columns in name order, so column order does not matter);
    the second and later copies of an identical row get ``-2``, ``-3`` ..."""
    import hashlib

    import pyarrow as pa
    import pyarrow.compute as pc

    idx = np.flatnonzero(np.asarray(rows, dtype=bool))
    out = pd.Series([""] * len(t), index=t.index, dtype=object)
    if not len(idx):
        return out
    cols = sorted(t.columns, key=lambda c: str(c).lower())
    whole = len(idx) == len(t)  # every row (a file without ids): no selection to copy
    take = None if whole else pa.array(idx)
    parts = []
    for c in cols:
        s = t[c]
        arr = s.array._pa_array if isinstance(s.dtype, pd.StringDtype) and \
            s.dtype.storage == "pyarrow" else _arrow(s)  # Arrow's pieces as they are
        if take is not None:
            arr = pc.take(arr, take)
        if arr.type != pa.large_string():
            arr = pc.cast(arr, pa.large_string())
        parts.append(pc.fill_null(arr, "") if arr.null_count else arr)
    joined = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", pa.large_string()))
    sha1 = hashlib.sha1
    blobs = pc.cast(joined, pa.large_binary()).to_pylist()
    del joined, parts
    ids = pd.Series([prefix + sha1(b).hexdigest()[:12] for b in blobs], dtype=object)
    del blobs
    # Rows that are exact copies (ACLED has such events) get -2, -3 ... in file order.
    codes, uniques = pd.factorize(ids)
    if len(uniques) < len(ids):
        nth = pd.Series(codes).groupby(codes).cumcount()
        ids = ids.where(nth == 0, ids + "-" + (nth + 1).astype(str))
    out.iloc[idx] = ids.to_numpy()
    return out


def layout_ids(t: pd.DataFrame, raw: pd.Series, prefix: str) -> pd.Series:
    """Our ids of a layout's rows: ``prefix`` + the layout's own id (``raw``, stripped); an id
    geoevents wrote (``inc-``, ``acled-``, ``ucdp-``) keeps its form; a row without one gets
    one from its content (:func:`content_ids`), never none."""
    ours = raw.str.match(r"^(?:inc|acled|ucdp)-")
    ids = (prefix + raw).where(raw != "", "").where(~ours, raw)
    if (raw == "").any():
        made = content_ids(t, prefix, (raw == "").to_numpy(dtype=bool, na_value=True))
        ids = ids.where(raw != "", made.astype(pd.StringDtype("pyarrow")))
    return ids


def acled_to_frame(table: pd.DataFrame, dayfirst: bool | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An ACLED table (all columns as text) -> (frame columns, problems).  ``problems`` has
    ``row`` (index of ``table``), ``field`` and ``reason`` for values that cannot be read."""
    t = as_text(table)
    n = len(t)
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(name: str) -> pd.Series:
        return t[name] if name in t.columns else empty

    out: dict[str, pd.Series] = {}
    out["id"] = layout_ids(t, col("event_id_cnty").str.strip(), "acled-")
    # ACLED writes no slash dates, but a file opened and saved by a spreadsheet does
    # (05/01/2022): --dayfirst / --monthfirst decide them as in any table.
    iso = _dates(col("event_date"), dayfirst, field="event_date")
    out["date_start"] = iso
    out["date_end"] = iso
    out["date_precision"] = _pick(col("time_precision").str.strip(), ACLED_PRECISION, "day")
    out["event_type"] = col("event_type").str.strip()
    out["sub_event_type"] = col("sub_event_type").str.strip()
    loc = col("location").str.strip()
    out["place"] = loc
    out["place_resolved"] = loc
    out["place_id"] = ""
    from .countries import to_iso2

    # The numeric code first (ACLED's ``iso``), then the name, then an ISO3 column.
    cc = _json_strings((col("iso").str.strip(), col("country").str.strip(),
                        col("iso3").str.strip()),
                       lambda k: next((c for c in map(to_iso2, k.split("\x1f")) if c), ""))
    out["country"] = cc
    out["admin1"] = col("admin1").str.strip()
    gp = _num(col("geo_precision"))
    # No geo_precision: unknown (missing), never "at the named place".
    out["geo_precision"] = gp.where(gp.isin([1, 2, 3])).astype("Int64")
    out["lat"] = _num(col("latitude"))
    out["lon"] = _num(col("longitude"))
    out["actor1"] = col("actor1").str.strip()
    out["actor2"] = col("actor2").str.strip()
    a1, a2 = col("assoc_actor_1").str.strip(), col("assoc_actor_2").str.strip()
    both = (a1 != "") & (a2 != "")
    out["assoc_actors"] = (a1 + "; " + a2).where(both, a1 + a2)
    out["assoc_actor_1"], out["assoc_actor_2"] = a1, a2
    fat, fat_checks = _count(col("fatalities"), "fatalities")
    out["fatalities_low"] = fat
    out["fatalities_best"] = fat
    out["fatalities_high"] = fat
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
        except (ValueError, OverflowError):
            return "[]"
        return json.dumps([{"side": "", "kind": "killed", "low": n, "best": n, "high": n,
                            "source": s, "quote": ""}], ensure_ascii=False)

    # One JSON text per distinct (figure, source): exports repeat both.
    out["casualties_json"] = _json_strings((fat_txt, src), casualties_json)
    out["claims_json"] = "[]"
    out["sources"] = src
    out["source_count"] = src.str.count(";").add(1).where(src != "", 0).astype("int64")
    out["notes"] = col("notes")
    # Every other column travels as acled_<name> (the raw date and coordinates too: written
    # back as they were when the frame still holds the same values).
    for c in t.columns:
        if c not in ("event_id_cnty", "event_type", "sub_event_type", "location",
                     "admin1", "geo_precision", "actor1", "actor2",
                     "source", "notes", "fatalities"):
            out[f"acled_{c}"] = t[c]
    problems = _problems([
        (iso == "", "event_date", col("event_date"),
         "event_date {v} is not a date (2018-05-23, 23 May 2018 or 23-May-18)"),
        *fat_checks,
        (gp.notna() & ~gp.isin([1, 2, 3]), "geo_precision", col("geo_precision"),
         "geo_precision {v} is not 1, 2 or 3"),
        *_coord_checks(col("latitude"), col("longitude")),
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
    iso_date = col("date_start").where(col("date_start") != "", col("date_end"))
    out["event_date"] = iso_date
    if "acled_event_date" in f.columns:  # the date as the file wrote it, if still that day
        raw = col("acled_event_date")
        same = _dates(pd.Series(raw.to_numpy(), index=f.index, dtype=pd.StringDtype("pyarrow")),
                      dayfirst=True).astype(object) == iso_date
        out["event_date"] = raw.where(same, iso_date)
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
    for name, c in (("latitude", "lat"), ("longitude", "lon")):
        v = pd.to_numeric(f[c], errors="coerce")
        txt = v.map(lambda x: "" if pd.isna(x) else f"{x:.5f}".rstrip("0").rstrip("."))
        if f"acled_{name}" in f.columns:  # as written, when it is still the same number
            raw = col(f"acled_{name}")
            same = pd.to_numeric(raw, errors="coerce") == v
            txt = raw.where(same, txt)
        out[name] = txt
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
    # Columns ACLED files carry beyond the core layout (data_id, event_id_no_cnty, iso3, ...)
    # come back after it, in the order they were read.
    taken = {f"acled_{c}" for c in (*ACLED_COLUMNS, "event_date", "latitude", "longitude")}
    extra = [c for c in f.columns if str(c).startswith("acled_") and c not in taken]
    for c in extra:
        out[c[len("acled_"):]] = col(c)
    return out[[*ACLED_COLUMNS, *[c[len("acled_"):] for c in extra]]]


def ucdp_to_frame(table: pd.DataFrame, dayfirst: bool | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A UCDP GED table (all columns as text) -> (frame columns, problems)."""
    t = as_text(table)
    n = len(t)
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(name: str) -> pd.Series:
        return t[name] if name in t.columns else empty

    out: dict[str, pd.Series] = {}
    out["id"] = layout_ids(t, col("id").str.strip().str.replace(r"\.0$", "", regex=True),
                           "ucdp-")
    d0 = _dates(col("date_start"), dayfirst, field="date_start")
    d1 = _dates(col("date_end"), dayfirst, field="date_end")
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
    out["country"] = _iso2(col("country").str.strip())
    out["admin1"] = col("adm_1").str.strip()
    wp = _num(col("where_prec"))
    # No where_prec: unknown (missing).
    out["geo_precision"] = wp.map({1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}).astype("Int64")
    out["lat"] = _num(col("latitude"))
    out["lon"] = _num(col("longitude"))
    out["actor1"] = col("side_a").str.strip()
    out["actor2"] = col("side_b").str.strip()
    out["assoc_actors"] = ""
    low_i, low_checks = _count(col("low"), "low")
    best_i, best_checks = _count(col("best"), "best")
    high_i, high_checks = _count(col("high"), "high")
    low, best, high = (x.astype("float64") for x in (low_i, best_i, high_i))
    out["fatalities_low"] = low_i
    out["fatalities_best"] = best_i
    out["fatalities_high"] = high_i
    out["wounded_best"] = pd.array([pd.NA] * n, dtype="Int64")
    office = col("source_office").str.strip()
    original = col("source_original").str.strip()
    who = office.where(office != "", original)
    who_json = _json_strings(who, lambda s: json.dumps(str(s), ensure_ascii=False))

    def num_txt(s: pd.Series) -> pd.Series:
        s = s.astype("float64")
        s = s.where((s.abs() <= MAX_COUNT) & (np.floor(s) == s))
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
    sdate = _dates(col("source_date"), dayfirst, field="source_date")
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
    nsrc = _num(col("number_of_sources"))
    nsrc = nsrc.where((nsrc >= 0) & (nsrc <= MAX_COUNT))  # inf, -1: not a count
    out["source_count"] = nsrc.fillna((who != "").astype(int)).astype("int64")
    out["claims_json"] = "[]"
    out["notes"] = col("source_headline").str.strip()
    for c in t.columns:
        if c not in ("id", "date_start", "date_end", "latitude", "longitude", "side_a", "side_b",
                     "low", "best", "high", "adm_1", "where_description", "where_coordinates"):
            out[f"ucdp_{c}"] = t[c]
    bad_best = (low.notna() & best.notna() & (best < low)) | \
        (high.notna() & best.notna() & (best > high))
    problems = _problems([
        (d0 == "", "date_start", col("date_start"), "date_start {v} is not a date"),
        *low_checks, *best_checks, *high_checks, *_coord_checks(col("latitude"),
                                                                  col("longitude")),
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


# ---------------------------------------------------------------------------------- GDELT
#: GDELT 1.0 event columns (the daily files since April 2013 have 58: ... DATEADDED, SOURCEURL;
#: the historical back files 57, without SOURCEURL).  GDELT 2.0 (61) adds an ADM2Code to each
#: of the three geographies and writes DATEADDED as YYYYMMDDHHMMSS.
_GDELT_HEAD = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)


def _geo(prefix: str, adm2: bool) -> list[str]:
    return [f"{prefix}_{c}" for c in ("Type", "FullName", "CountryCode", "ADM1Code",
                                      *(("ADM2Code",) if adm2 else ()), "Lat", "Long",
                                      "FeatureID")]


GDELT1_COLUMNS: tuple[str, ...] = (
    *_GDELT_HEAD, *_geo("Actor1Geo", False), *_geo("Actor2Geo", False),
    *_geo("ActionGeo", False), "DATEADDED", "SOURCEURL")
GDELT2_COLUMNS: tuple[str, ...] = (
    *_GDELT_HEAD, *_geo("Actor1Geo", True), *_geo("Actor2Geo", True),
    *_geo("ActionGeo", True), "DATEADDED", "SOURCEURL")
GDELT_LAYOUTS: dict[int, tuple[str, ...]] = {
    57: GDELT1_COLUMNS[:-1], 58: GDELT1_COLUMNS, 61: GDELT2_COLUMNS}

#: CAMEO root codes (the CAMEO manual's names).
CAMEO_ROOTS: dict[str, str] = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}
#: CAMEO event codes (longest prefix first) -> (ACLED event type, ACLED sub-event type).  The
#: verbal and cooperative roots (01-13, 16) are not incidents of political violence: no type.
CAMEO_TO_ACLED: dict[str, tuple[str, str]] = {
    "145": ("Riots", "Violent demonstration"), "14": ("Protests", "Peaceful protest"),
    "15": ("Strategic developments", "Other"), "173": ("Strategic developments", "Arrests"),
    "17": ("Strategic developments", "Other"),
    "180": ("Violence against civilians", "Attack"),
    "181": ("Violence against civilians", "Abduction/forced disappearance"),
    "182": ("Violence against civilians", "Sexual violence"),
    "183": ("Explosions/Remote violence", "Suicide bomb"),
    "18": ("Violence against civilians", "Attack"),
    "194": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "195": ("Explosions/Remote violence", "Air/drone strike"),
    "19": ("Battles", "Armed clash"),
    "204": ("Explosions/Remote violence", "Chemical weapon"),
    "20": ("Violence against civilians", "Attack"),
}
#: ActionGeo_Type -> (geo_precision, place kind): 1 country, 2 US state, 3 US city, 4 world
#: city, 5 world state (ADM1).  A city's centroid is the named place (1); a state or a country
#: is a region (3).
GDELT_GEO_TYPE: dict[str, tuple[int, str]] = {
    "1": (3, "country"), "2": (3, "admin1"), "3": (1, "populated_place"),
    "4": (1, "populated_place"), "5": (3, "admin1")}
_GDELT_KEEP = ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
               "NumMentions", "NumSources", "NumArticles", "AvgTone", "IsRootEvent",
               "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_FeatureID",
               "DATEADDED", "SOURCEURL")


def gdelt_to_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GDELT events (columns named as :data:`GDELT1_COLUMNS` / :data:`GDELT2_COLUMNS`, text)
    -> (frame columns, problems).  The place is ActionGeo (where the action happened)."""
    t = as_text(table)
    n = len(t)
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(name: str) -> pd.Series:
        return t[name].str.strip() if name in t.columns else empty

    out: dict[str, pd.Series] = {}
    gid = col("GLOBALEVENTID")
    out["id"] = ("gdelt-" + gid).where(gid != "", content_ids(t, "gdelt-", (gid == "")))
    raw_date = col("SQLDATE")
    iso = _dates(raw_date.where(raw_date.str.match(r"^\d{8}$"), ""), field="SQLDATE")
    out["date_start"] = iso
    out["date_end"] = iso
    out["date_precision"] = "day"
    code = col("EventCode")
    types = _json_strings(code, lambda c: json.dumps(next(
        (v for k, v in sorted(CAMEO_TO_ACLED.items(), key=lambda kv: -len(kv[0]))
         if str(c).startswith(k)), ("", ""))))
    et = types.str.extract(r'^\["([^"]*)", "([^"]*)"\]$')
    out["event_type"] = et[0].fillna("").astype(pd.StringDtype("pyarrow"))
    out["sub_event_type"] = et[1].fillna("").astype(pd.StringDtype("pyarrow"))
    place = col("ActionGeo_FullName")
    out["place"] = place
    out["place_resolved"] = place
    out["place_id"] = ""
    out["country"] = _iso2(col("ActionGeo_CountryCode"), fips=True)
    out["admin1"] = ""
    gt = col("ActionGeo_Type")
    out["geo_precision"] = _pick(gt, {k: str(v[0]) for k, v in GDELT_GEO_TYPE.items()},
                                 "").replace("", pd.NA).astype("float64").astype("Int64") \
        if n else pd.Series(dtype="Int64")
    out["place_kind"] = _pick(gt, {k: v[1] for k, v in GDELT_GEO_TYPE.items()}, "")
    out["lat"] = _num(col("ActionGeo_Lat"))
    out["lon"] = _num(col("ActionGeo_Long"))
    out["actor1"] = col("Actor1Name")
    out["actor2"] = col("Actor2Name")
    out["assoc_actors"] = ""
    na = pd.array([pd.NA] * n, dtype="Int64")
    for c in ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best"):
        out[c] = na
    out["casualties_json"] = "[]"
    out["claims_json"] = "[]"
    url = col("SOURCEURL")
    outlet = url.str.extract(r"^[a-z]+://(?:www\.)?([^/]+)")[0].fillna("").astype(
        pd.StringDtype("pyarrow"))
    out["sources_json"] = _json_strings((outlet, url), lambda k: json.dumps(
        [{"outlet": k.split("\x1f")[0], "url": k.split("\x1f")[1], "published": "",
          "quote": ""}] if k.strip("\x1f") else [], ensure_ascii=False))
    out["sources"] = outlet
    out["source_count"] = _num(col("NumSources")).fillna(0).clip(0, MAX_COUNT).astype("int64")
    root = col("EventRootCode")
    out["notes"] = ("CAMEO " + code + " (" + _pick(root.str.zfill(2), CAMEO_ROOTS, "") +
                    ")").where(code != "", "")
    for c in _GDELT_KEEP:
        if c in t.columns:
            out[f"gdelt_{c}"] = col(c)
    problems = _problems([
        (iso == "", "SQLDATE", raw_date, "SQLDATE {v} is not a date (YYYYMMDD)"),
        *_coord_checks(col("ActionGeo_Lat"), col("ActionGeo_Long")),
    ])
    return pd.DataFrame(out, index=t.index), problems


# ----------------------------------------------------------------- any table, with --columns
#: What ``--columns ROLE=COLUMN`` can name.  ``date`` is a one-day date (start = end);
#: ``fatalities`` a single figure (low = best = high).
COLUMN_ROLES: tuple[str, ...] = (
    "id", "date", "date_start", "date_end", "lat", "lon", "event_type", "sub_event_type",
    "place", "country", "admin1", "geo_precision", "actor1", "actor2", "fatalities",
    "fatalities_low", "fatalities_best", "fatalities_high", "wounded", "sources", "notes",
)


def parse_columns(spec: str | dict[str, str]) -> dict[str, str]:
    """``"date=Date,lat=Y,lon=X"`` (or a mapping from the config) -> {role: column}; a
    ValueError names an unknown role or a malformed item."""
    items = spec.items() if isinstance(spec, dict) else [
        tuple(part.split("=", 1)) if "=" in part else (part, None)
        for part in (p.strip() for p in str(spec).split(",")) if part]
    out: dict[str, str] = {}
    for role, column in items:
        role = str(role).strip().lower()
        if column is None or not str(column).strip():
            raise ValueError(f"--columns: {role!r} needs a column (ROLE=COLUMN)")
        if role in ("latitude", "y"):
            role = "lat"
        if role in ("longitude", "x", "lng"):
            role = "lon"
        if role not in COLUMN_ROLES:
            raise ValueError(f"--columns: unknown role {role!r}; one of "
                             f"{', '.join(COLUMN_ROLES)}")
        out[role] = str(column).strip()
    for need in ("lat", "lon"):
        if need not in out:
            raise ValueError(f"--columns must name the {need} column ({need}=COLUMN)")
    if not ({"date", "date_start"} & set(out)):
        raise ValueError("--columns must name the date column (date=COLUMN or date_start=...)")
    return out


def columns_to_frame(table: pd.DataFrame, mapping: dict[str, str], *,
                     dayfirst: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Any table with a column mapping -> (frame columns, problems).  Columns not mapped
    travel through under their own names (``extra_<name>`` if that is a frame column)."""
    from .schema import INCIDENT_COLUMNS

    t = as_text(table)
    n = len(t)
    by_lower = {str(c).strip().lower(): c for c in t.columns}
    cols: dict[str, str] = {}
    for role, name in mapping.items():
        c = by_lower.get(name.strip().lower())
        if c is None:
            raise KeyError(f"--columns {role}={name}: the table has no column {name!r} (it has "
                           f"{', '.join(map(str, t.columns))})")
        cols[role] = c
    empty = pd.Series([""] * n, index=t.index, dtype=pd.StringDtype("pyarrow"))

    def col(role: str) -> pd.Series:
        return t[cols[role]].str.strip() if role in cols else empty

    out: dict[str, pd.Series] = {}
    d0 = _dates(col("date_start") if "date_start" in cols else col("date"), dayfirst,
                field=cols.get("date_start", cols.get("date", "date")))
    d1 = _dates(col("date_end"), dayfirst, field=cols.get("date_end", "date_end")) \
        if "date_end" in cols else d0
    d1 = d1.where(d1 != "", d0)
    out["date_start"], out["date_end"] = d0, d1
    out["date_precision"] = pd.Series(np.where(d0 == d1, "day", "range"), index=t.index)
    raw_type = col("event_type")
    lookup = {k.lower(): k for k in DISORDER}  # ACLED's six event types
    known = _json_strings(raw_type, lambda v: lookup.get(str(v).lower(), ""))
    out["event_type"] = known
    sub = col("sub_event_type")
    out["sub_event_type"] = sub.where(sub != "", raw_type.where(known == "", ""))
    out["place"] = col("place")
    out["place_resolved"] = col("place")
    out["place_id"] = ""
    out["country"] = _iso2(col("country"))
    out["admin1"] = col("admin1")
    gp = _num(col("geo_precision"))
    out["geo_precision"] = gp.where(gp.isin([1, 2, 3])).astype("Int64")
    out["lat"], out["lon"] = _num(col("lat")), _num(col("lon"))
    out["actor1"], out["actor2"] = col("actor1"), col("actor2")
    out["assoc_actors"] = ""
    checks: list = []
    if "fatalities" in cols:
        fat, c1 = _count(col("fatalities"), cols["fatalities"])
        out["fatalities_low"] = out["fatalities_best"] = out["fatalities_high"] = fat
        checks += c1
    for role in ("fatalities_low", "fatalities_best", "fatalities_high"):
        if role in cols:
            out[role], c2 = _count(col(role), cols[role])
            checks += c2
        elif role not in out:
            out[role] = pd.array([pd.NA] * n, dtype="Int64")
    if "wounded" in cols:
        out["wounded_best"], c3 = _count(col("wounded"), cols["wounded"])
        checks += c3
    else:
        out["wounded_best"] = pd.array([pd.NA] * n, dtype="Int64")
    out["casualties_json"] = "[]"
    out["claims_json"] = "[]"
    src = col("sources")
    out["sources_json"] = _json_strings(src, lambda s: json.dumps(
        [{"outlet": p.strip(), "url": "", "published": "", "quote": ""}
         for p in str(s).split(";") if p.strip()], ensure_ascii=False))
    out["sources"] = src
    out["source_count"] = src.str.count(";").add(1).where(src != "", 0).astype("int64")
    out["notes"] = col("notes")
    used = set(cols.values())
    for c in t.columns:
        if c not in used:
            name = str(c)
            out[f"extra_{name}" if name in INCIDENT_COLUMNS or name in out else name] = t[c]
    ids = col("id")
    frame = pd.DataFrame(out, index=t.index)
    made = content_ids(t, "row-", (ids == "").to_numpy(dtype=bool, na_value=True))
    frame.insert(0, "id", ids.where(ids != "", made.astype(pd.StringDtype("pyarrow"))))
    raw_d = col("date_start") if "date_start" in cols else col("date")
    problems = _problems([
        ((d0 == "") & (raw_d != ""), cols.get("date_start", cols.get("date", "date")), raw_d,
         "{v} is not a date"),
        (gp.notna() & ~gp.isin([1, 2, 3]), cols.get("geo_precision", "geo_precision"),
         col("geo_precision"), "geo_precision {v} is not 1, 2 or 3"),
        *[(m, cols[r], v, cols[r] + " {v} is not a number")
          for r, m, v in (("lat", _num(col("lat")).isna() & (col("lat") != ""), col("lat")),
                          ("lon", _num(col("lon")).isna() & (col("lon") != ""), col("lon")))],
        *checks,
    ])
    return frame, problems

"""Synthetic incidents in ACLED's export layout, for the store and archive benchmarks.

Vectorised (numpy + Arrow's CSV writer): about a million rows in a few seconds.  The rows are
made up: places from a fixed pool per country (as in ACLED, many events share a location),
days uniform over the years asked, ACLED event types, fatalities 0..20 with 5 % missing.
"""

from __future__ import annotations

from pathlib import Path

COUNTRIES = [  # (ACLED country, ISO numeric, centre lat, lon, spread in degrees)
    ("Syria", 760, 35.0, 38.5, 1.5), ("Iraq", 368, 33.3, 43.7, 2.0),
    ("Yemen", 887, 15.5, 47.5, 1.8), ("Afghanistan", 4, 34.0, 66.0, 2.5),
    ("Nigeria", 566, 9.0, 8.0, 3.0), ("Somalia", 706, 5.0, 46.0, 2.5),
    ("Ukraine", 804, 48.5, 35.0, 2.5), ("Sudan", 729, 14.0, 30.0, 3.0),
]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
         "Riots", "Strategic developments"]
HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]


def write(path: Path, n: int, *, seed: int = 1, start: int = 0, years: tuple[int, int] = (2015, 2024),
          countries: int = len(COUNTRIES), prefix: str = "SYN", source: str = "SOHR",
          places_per_country: int = 2500, jitter: float = 0.0, chunk: int = 500_000) -> Path:
    """Write ``n`` rows (ids ``<prefix><start + i>``) to ``path``; the same seed and ``start``
    give the same events (use another ``prefix``/``source``/``jitter`` for another dataset's
    reports of them)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng0 = np.random.default_rng(12345)  # the place pool is fixed
    pools = []
    for _, _, lat, lon, spread in COUNTRIES[:countries]:
        pools.append((lat + rng0.uniform(-spread, spread, places_per_country),
                      lon + rng0.uniform(-spread, spread, places_per_country)))
    pool_lat = np.array([pl[0] for pl in pools])
    pool_lon = np.array([pl[1] for pl in pools])
    d0 = np.datetime64(f"{years[0]}-01-01")
    ndays = int((np.datetime64(f"{years[1] + 1}-01-01") - d0).astype(int))
    with open(path, "wb") as out:
        out.write((",".join(HEADER) + "\n").encode())
        # Row i's values depend only on (seed, i): blocks of `chunk` rows on a fixed grid.
        at = start
        while at < start + n:
            block = at // chunk
            lo = at - block * chunk
            m = min(chunk - lo, start + n - at)
            idx = np.arange(at, at + m)
            at += m
            rng = np.random.default_rng([seed, block])
            sl = slice(lo, lo + m)
            c = rng.integers(0, countries, chunk)[sl]
            p = rng.integers(0, places_per_country, chunk)[sl]
            lat, lon = pool_lat[c, p], pool_lon[c, p]
            day = d0 + rng.integers(0, ndays, chunk)[sl].astype("timedelta64[D]")
            et = np.array(TYPES)[rng.integers(0, len(TYPES), chunk)[sl]]
            fat = rng.integers(0, 21, chunk)[sl].astype(str)
            fat[rng.random(chunk)[sl] < 0.05] = ""
            if jitter:
                j = np.random.default_rng([seed + 1, block])
                lat = lat + j.uniform(-jitter, jitter, chunk)[sl]
                lon = lon + j.uniform(-jitter, jitter, chunk)[sl]
            names = np.array([x[0] for x in COUNTRIES])[c]
            iso = np.array([str(x[1]) for x in COUNTRIES])[c]
            cols = {h: pa.array(np.full(m, "")) for h in HEADER}
            cols.update({
                "event_id_cnty": pa.array(np.char.add(prefix, idx.astype(str))),
                "event_date": pa.array(day.astype(str)),
                "year": pa.array(day.astype("datetime64[Y]").astype(str)),
                "time_precision": pa.array(np.full(m, "1")),
                "disorder_type": pa.array(np.full(m, "Political violence")),
                "event_type": pa.array(et), "sub_event_type": pa.array(np.full(m, "Armed clash")),
                "actor1": pa.array(np.full(m, "Armed group A")),
                "actor2": pa.array(np.full(m, "Armed group B")),
                "iso": pa.array(iso), "country": pa.array(names),
                "region": pa.array(np.full(m, "Middle East")),
                "location": pa.array(np.char.add("Place ", p.astype(str))),
                "latitude": pa.array(np.round(lat, 4).astype(str)),
                "longitude": pa.array(np.round(lon, 4).astype(str)),
                "geo_precision": pa.array(np.full(m, "1")),
                "source": pa.array(np.full(m, source)), "fatalities": pa.array(fat),
                "timestamp": pa.array(np.full(m, "0")),
            })
            table = pa.table([cols[h] for h in HEADER], names=HEADER)
            pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False,
                                                           quoting_style="needed"))
    return path

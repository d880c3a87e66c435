"""Names of oceans, seas and gulfs for the basemap's water labels.

Natural Earth's marine polygons (``ne_10m_geography_marine_polys``), when a copy is in the
Natural Earth folder, give the names and the label points; otherwise this table does: the
oceans, seas and large gulfs of the world, each with a point in open water where its name reads
well and the first zoom at which it is named (oceans from 1, the large seas from 3, smaller seas
and gulfs from 4 to 6).  Facts (names and rough positions) from common geographic knowledge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: (name, lat, lon, first zoom)
SEAS: tuple[tuple[str, float, float, float], ...] = (
    ("North Atlantic Ocean", 32.0, -42.0, 1.0),
    ("South Atlantic Ocean", -25.0, -15.0, 1.0),
    ("North Pacific Ocean", 30.0, -150.0, 1.0),
    ("South Pacific Ocean", -28.0, -120.0, 1.0),
    ("Indian Ocean", -20.0, 78.0, 1.0),
    ("Arctic Ocean", 81.0, -20.0, 1.5),
    ("Southern Ocean", -62.0, 90.0, 1.5),
    ("Mediterranean Sea", 34.6, 18.5, 3.0),
    ("Black Sea", 43.2, 34.3, 3.0),
    ("Red Sea", 20.5, 38.6, 3.0),
    ("Arabian Sea", 15.0, 63.0, 3.0),
    ("Bay of Bengal", 15.0, 88.0, 3.0),
    ("South China Sea", 13.5, 114.0, 3.0),
    ("Caribbean Sea", 15.0, -75.0, 3.0),
    ("Gulf of Mexico", 25.0, -90.0, 3.0),
    ("Coral Sea", -17.0, 153.0, 3.0),
    ("Tasman Sea", -40.0, 161.0, 3.0),
    ("Philippine Sea", 20.0, 132.0, 3.0),
    ("Sea of Japan", 40.0, 134.5, 3.5),
    ("East China Sea", 29.0, 125.5, 3.5),
    ("Bering Sea", 58.0, -178.0, 3.0),
    ("Sea of Okhotsk", 55.0, 148.0, 3.0),
    ("North Sea", 56.0, 3.5, 3.5),
    ("Baltic Sea", 57.5, 19.3, 3.5),
    ("Norwegian Sea", 68.0, 4.0, 3.0),
    ("Barents Sea", 74.0, 40.0, 3.0),
    ("Labrador Sea", 58.0, -55.0, 3.0),
    ("Hudson Bay", 60.0, -85.0, 3.0),
    ("Gulf of Alaska", 57.0, -145.0, 3.0),
    ("Gulf of Guinea", 2.0, 3.0, 3.0),
    ("Persian Gulf", 27.0, 51.3, 4.0),
    ("Gulf of Oman", 24.8, 58.6, 4.5),
    ("Gulf of Aden", 12.6, 48.0, 4.0),
    ("Caspian Sea", 42.0, 50.5, 3.5),
    ("Aegean Sea", 38.8, 25.0, 4.5),
    ("Ionian Sea", 38.0, 18.8, 4.5),
    ("Adriatic Sea", 43.0, 15.0, 4.5),
    ("Tyrrhenian Sea", 40.0, 12.0, 4.5),
    ("Levantine Sea", 33.8, 31.0, 5.0),
    ("Andaman Sea", 10.5, 96.5, 4.0),
    ("Java Sea", -5.0, 111.0, 4.0),
    ("Celebes Sea", 3.5, 122.0, 4.0),
    ("Arafura Sea", -9.5, 135.0, 4.0),
    ("Timor Sea", -11.5, 127.0, 4.0),
    ("Yellow Sea", 36.0, 123.5, 4.0),
    ("Gulf of Thailand", 10.0, 101.5, 4.5),
    ("Mozambique Channel", -18.0, 41.0, 4.0),
    ("Great Australian Bight", -35.0, 130.0, 4.0),
    ("Gulf of California", 28.0, -112.0, 4.5),
    ("Bay of Biscay", 45.5, -4.5, 4.5),
    ("Gulf of Sidra", 31.8, 18.5, 5.5),
    ("Alboran Sea", 36.0, -3.5, 6.0),
    ("Ligurian Sea", 43.5, 9.0, 6.0),
    ("Sea of Azov", 46.0, 36.5, 6.0),
    ("Sea of Marmara", 40.7, 28.2, 6.5),
    ("English Channel", 50.2, -2.0, 6.0),
    ("Irish Sea", 53.8, -5.0, 6.0),
    ("Gulf of Finland", 60.0, 26.5, 6.0),
    ("Gulf of Bothnia", 62.5, 20.0, 5.0),
    ("Gulf of Suez", 28.9, 32.95, 7.0),
    ("Gulf of Aqaba", 28.8, 34.75, 7.0),
)

#: The names of Natural Earth's marine polygons file, in the Natural Earth folder.
MARINE_STEM = "ne_10m_geography_marine_polys"


def marine_file(folder: Path) -> Path | None:
    for ext in (".geojson", ".gpkg", ".zip", ".shp"):
        p = folder / f"{MARINE_STEM}{ext}"
        if p.is_file():
            return p
    return None


def sea_labels(bounds: tuple[float, float, float, float], marine: Any = None
               ) -> list[list[Any]]:
    """Water labels inside ``bounds``: [lat, lon, name, first zoom], the largest first.  From
    ``marine`` (a frame of Natural Earth's marine polygons: ``name``, ``min_label`` or
    ``scalerank``) when given, else from :data:`SEAS`."""
    w, s, e, n = bounds
    out: list[list[Any]] = []
    if marine is not None and len(marine):
        cols = {c.casefold(): c for c in marine.columns}
        name_c = cols.get("name_en") or cols.get("name") or cols.get("label")
        zoom_c = cols.get("min_label") or cols.get("scalerank")
        for k, g in enumerate(marine.geometry.values):
            name = marine[name_c].iloc[k] if name_c else None
            if not isinstance(name, str) or not name.strip() or g is None or g.is_empty:
                continue
            p = g.representative_point()
            try:
                z = float(marine[zoom_c].iloc[k]) if zoom_c else 3.0
            except (TypeError, ValueError):
                z = 3.0
            if z != z:
                z = 3.0
            if w <= p.x <= e and s <= p.y <= n:
                out.append([round(p.y, 3), round(p.x, 3), name.strip(), z])
    else:
        out = [[lat, lon, name, z] for name, lat, lon, z in SEAS
               if w <= lon <= e and s <= lat <= n]
    out.sort(key=lambda r: (r[3], r[2]))
    return out

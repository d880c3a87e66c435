"""Resolution in context (geoevents resolve --mentions) and the Natural Earth layers in the index."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from gazetteer import Context, Gazetteer
from gazetteer import index as gindex
from gazetteer.documents import Document, country_cues, resolve_mentions

from .geo import km


def _doc(text: str, names: list[str], doc_id: str = "d1") -> dict:
    spans = []
    for n in names:
        i = text.index(n)
        spans.append({"start": i, "end": i + len(n)})
    return {"id": doc_id, "text": text, "mentions": spans}


def test_country_cues_from_names_and_demonyms():
    assert country_cues("Syrian and Russian jets struck the town")[:2] in (["SY", "RU"],
                                                                           ["RU", "SY"])
    assert "PH" in country_cues("The Philippine Department of Agriculture said")
    assert country_cues("nothing here") == []


def test_the_whole_document_is_the_context(gz):
    text = ("Syrian government forces advanced on Palmyra on Sunday. Further east, fighting "
            "went on in Mayadeen and Hajin, in Deir Ezzor province.")
    names = ["Palmyra", "Mayadeen", "Hajin", "Deir Ezzor province"]
    d = _doc(text, names)
    res = resolve_mentions(gz, Document("d1", text, [(m["start"], m["end"])
                                                    for m in d["mentions"]]))
    assert [r.status for r in res] == ["resolved"] * 4
    assert res[0].place.uid == "geonames:163808"  # Tadmur, not Palmyra NY
    assert res[3].place.kind == "admin1" and res[3].precision == 3
    # alone, "Palmyra" is ambiguous; the demonym "Syrian" is enough context
    only = Document("d2", "Syrian troops entered Palmyra.", [(22, 29)])
    assert resolve_mentions(gz, only)[0].place.uid == "geonames:163808"


def test_cli_mentions_jsonl(cli, tmp_path):
    f = tmp_path / "docs.jsonl"
    docs = [
        _doc("Syrian troops entered Palmyra; 20 km west of Palmyra the road was cut.",
             ["Palmyra", "20 km west of Palmyra"]),
        _doc("Clashes near Mayadeen and Xqzwvbnm Kjhg.", ["Mayadeen", "Xqzwvbnm Kjhg"], "d2"),
    ]
    f.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    r = cli("resolve", "--mentions", str(f))
    assert r.returncode == 1, r.stderr  # one mention unresolved
    out = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["d1", "d2"]
    m = out[0]["mentions"]
    assert m[0]["text"] == "Palmyra" and m[0]["id"] == "geonames:163808"
    assert km(m[1]["lat"], m[1]["lon"], m[0]["lat"], m[0]["lon"]) == pytest.approx(20, abs=0.1)
    assert m[1]["relation"] == "offset" and m[1]["precision"] == 2
    assert out[1]["mentions"][1]["status"] == "unresolved"
    assert out[1]["mentions"][1]["lat"] is None
    # bad input: file, line and field
    f.write_text(json.dumps(docs[0]) + "\n" + '{"id": 2, "text": "abc", "mentions": '
                 '[{"start": 1, "end": 99}]}\n', encoding="utf-8")
    r = cli("resolve", "--mentions", str(f))
    assert r.returncode == 2 and "docs.jsonl:2" in r.stderr and "mentions" in r.stderr
    assert "Traceback" not in r.stderr
    f.write_text("{not json\n", encoding="utf-8")
    r = cli("resolve", "--mentions", str(f))
    assert r.returncode == 2 and "docs.jsonl:1" in r.stderr and "JSON" in r.stderr


@pytest.fixture(scope="module")
def ne_gazetteer(shared, geo_home, tmp_path_factory):
    """A gazetteer whose GEOEVENTS_HOME has the Natural Earth layers installed (from
    ../shared/naturalearth with naturalearth.install_from_dir); a separate home, so that the
    session's index stays as it is."""
    from gazetteer import naturalearth

    reuse = os.environ.get("GEOEVENTS_TEST_HOME")
    home = Path(reuse + "-ne") if reuse else tmp_path_factory.mktemp("geoevents-home-ne")
    home.mkdir(parents=True, exist_ok=True)
    old = os.environ["GEOEVENTS_HOME"]
    os.environ["GEOEVENTS_HOME"] = str(home)
    try:
        if not (home / "gazetteer.sqlite").exists():
            shutil.copyfile(geo_home / "gazetteer.sqlite", home / "gazetteer.sqlite")
        before = gindex.expected_stamp()["naturalearth"]
        naturalearth.install_from_dir(shared / "naturalearth",
                                      ["admin1_label_points", "populated_places"])
        after = gindex.expected_stamp()["naturalearth"]
        g = Gazetteer(home / "gazetteer.sqlite", verbose=False)
        yield g, before, after, g.rebuilt
        g.close()
    finally:
        os.environ["GEOEVENTS_HOME"] = old


@pytest.mark.slow  # builds an index with Natural Earth (about 60 s)
def test_natural_earth_layers_go_into_the_index(ne_gazetteer):
    g, _before, after, _rebuilt = ne_gazetteer
    assert "admin1_label_points=" in after and "populated_places=" in after
    stamp = gindex.read_stamp(g.index_path)
    assert stamp["naturalearth"] == after  # the index was rebuilt with them
    for name, cc, where in [("Queensland", "AU", (-22.5, 144.5)),
                            ("Guangdong", "CN", (23.4, 113.5)),
                            ("British Columbia", "CA", (54.0, -125.0))]:
        r = g.resolve(name, Context(countries=(cc,)))
        assert r.resolved, (name, r.reason)
        assert r.place.kind == "admin1" and r.place.country == cc and r.precision == 3
        assert km(r.lat, r.lon, *where) < 400, (name, r.lat, r.lon)
    # provinces of the curated countries keep their curated point, and learn NE's name
    r = g.resolve("Deir ez-Zor province")
    assert r.place.uid == "admin1:SY.07"
    # Syria's towns are unchanged
    assert g.resolve("Mayadeen").place.uid == "geonames:173480"


def test_a_province_among_provinces_and_cities_stay_cities(gz):
    out = gz.resolve_document(["Palmyra", "Homs", "Deir Ezzor province", "Raqqa province",
                               "Hama"])
    assert [r.place.kind for r in out] == ["populated_place", "populated_place", "admin1",
                                           "admin1", "populated_place"]
    text = "Cases were confirmed in Oregon, Pennsylvania, Washington and California."
    names = ["Oregon", "Pennsylvania", "Washington", "California"]
    d = _doc(text, names)
    res = resolve_mentions(gz, Document("d", text, [(m["start"], m["end"])
                                                   for m in d["mentions"]]))
    assert [r.place.uid for r in res] == ["admin1:US.OR", "admin1:US.PA", "admin1:US.WA",
                                          "admin1:US.CA"]
    assert all(r.precision == 3 for r in res)

"""``geoevents extract`` as a user runs it: outputs, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = Path(__file__).parent / "data" / "articles"


def _seeds(shared) -> list[str]:
    return sorted(str(p) for p in (shared / "seeds").glob("*.txt"))


def test_seeds_summary(cli, shared):
    r = cli("extract", *_seeds(shared), "--meta", str(shared / "seeds" / "meta.yaml"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("6 incident(s) from 5 article(s)")
    assert "near the town of Mayadeen -> Al Mayādīn" in r.stdout
    assert "Russian: 4/4/9" in r.stdout
    assert "not confirmed by Syrian Observatory for Human Rights, Kremlin" in r.stdout


def test_outputs_by_extension(cli, shared, tmp_path):
    meta = str(shared / "seeds" / "meta.yaml")
    for name in ("out.json", "out.yaml", "out.csv", "out.geojson"):
        out = tmp_path / name
        r = cli("extract", *_seeds(shared), "--meta", meta, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert "6 incident(s) written" in r.stderr
        assert out.stat().st_size > 1000
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(doc["incidents"]) == 6
    gj = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 6
    acled = tmp_path / "acled.csv"
    r = cli("extract", *_seeds(shared), "--meta", meta, "-o", str(acled), "--format", "acled")
    assert r.returncode == 0, r.stderr
    assert acled.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")
    # An existing file is not replaced without --overwrite.
    r = cli("extract", *_seeds(shared), "--meta", meta, "-o", str(acled), "--format", "acled")
    assert r.returncode == 2 and "exists already" in r.stderr


def test_json_on_stdout_with_context(cli, shared):
    r = cli("extract", *_seeds(shared), "--meta", str(shared / "seeds" / "meta.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc["incidents"]) == 6 and doc["rejections"] == []
    reasons = {c["name"]: c["reason"] for c in doc["context"] if c["kind"] == "place"}
    assert "funeral" in reasons["Smolensk"]


def test_published_applies_to_every_article(cli):
    r = cli("extract", str(ARTICLES / "undated.txt"), "--published", "2019-01-04", "--json")
    assert r.returncode == 0, r.stderr
    [inc] = json.loads(r.stdout)["incidents"]
    assert inc["date"]["start"] == "2019-01-02"
    r = cli("extract", str(ARTICLES / "undated.txt"))
    assert r.returncode == 0
    assert "no publication date" in r.stderr and "unknown" in r.stdout


def test_bad_inputs_are_reported_and_the_rest_processed(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.write(b"Lorem ipsum dolor sit amet. " * (50 * 1024 * 1024 // 28 + 1))
    html = tmp_path / "page.html"
    html.write_text("<html><head><script>x()</script></head><body><nav>Home</nav></body></html>")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(("Clashes near Hajin\n\nFive SDF fighters were killed in clashes near "
                        "Hajin on Wednesday, “activists” said.\n").encode("cp1252"))
    r = cli("extract", str(empty), str(binary), str(big), str(html), str(legacy),
            "--published", "2019-01-04")
    assert r.returncode == 1, r.stderr
    err = r.stderr
    assert f"{empty}: empty file" in err
    assert f"{binary}: a binary file" in err
    assert f"{big}: too large for an article (52.4 MB" in err
    assert f"{html}: no text in this file (an HTML page with no readable text)" in err
    assert f"{legacy}: mixed encodings: line(s) 3 are not UTF-8 and were read as cp1252" in err
    assert r.stdout.startswith("1 incident(s) from 1 article(s)")
    assert "Traceback" not in err


def test_usage_errors_exit_2(cli, tmp_path):
    r = cli("extract", "--published", "yesterday", str(ARTICLES / "undated.txt"))
    assert r.returncode == 2 and "--published 'yesterday' is not a date" in r.stderr
    r = cli("extract", str(ARTICLES / "undated.txt"), "--meta", str(tmp_path / "none.yaml"))
    assert r.returncode == 2 and "no such metadata file" in r.stderr
    bad_meta = tmp_path / "m.yaml"
    bad_meta.write_text("a.txt:\n  published: 2019-13-45\n")
    r = cli("extract", str(ARTICLES / "undated.txt"), "--meta", str(bad_meta))
    assert r.returncode == 2 and "m.yaml:2" in r.stderr and "published" in r.stderr
    r = cli("extract", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "no such file" in r.stderr
    r = cli("extract", str(ARTICLES / "undated.txt"), "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "cannot tell the format" in r.stderr
    r = cli("extract", "--published", "2019-01-01", "--meta", "m.yaml", "a.txt")
    assert r.returncode == 2  # mutually exclusive


def test_help_lists_extract(cli):
    r = cli("--help")
    assert "extract" in r.stdout or "extract" in r.stderr
    r = cli("extract", "--help")
    assert r.returncode == 0 and "--published" in r.stdout and "--meta" in r.stdout


def test_published_in_the_future_is_refused(cli, tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Three people were killed in an air strike on Hajin on Monday.\n",
                       encoding="utf-8")
    r = cli("extract", str(article), "--published", "2099-05-24")
    assert r.returncode == 2 and "--published 2099-05-24 is in the future" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("map", str(article), "--published", "2099-05-24", "-o", str(tmp_path / "m.html"))
    assert r.returncode == 2 and "is in the future" in r.stderr
    assert not (tmp_path / "m.html").exists()


def test_an_incident_without_a_place_is_kept_marked(cli, tmp_path):
    art = tmp_path / "ambush.txt"
    art.write_text("Soldiers killed\n\nThree soldiers were killed on Wednesday in an ambush, "
                   "the ministry said.\n")
    out = tmp_path / "out.csv"
    r = cli("extract", str(art), "--published", "2019-01-04", "-o", str(out))
    assert r.returncode == 1, r.stderr  # a loss: also in the rejections
    assert "could not be placed" in r.stderr
    import csv

    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["place"] == "(unknown place)" and row["lat"] == "" and row["lon"] == ""
    assert row["fatalities_best"] == "3" and row["date_start"] == "2019-01-02"
    r = cli("extract", str(art), "--published", "2019-01-04")
    assert "(unknown place)" in r.stdout

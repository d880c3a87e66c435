"""More places for the index: GeoNames country dumps by country code (``data install geonames``,
offline with --from), any CSV of places with a column mapping, and the hint on unanswered
names."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from gazetteer import Context, Gazetteer, InputError
from gazetteer import places_import as pi

from .geo import km


@pytest.fixture
def index_copy(gz, tmp_path) -> Path:
    p = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gz.index_path, p)
    return p


def _row(gid: int, name: str, lat: float, lon: float, cc: str, alt: str = "") -> str:
    return "\t".join([str(gid), name, name, alt, str(lat), str(lon), "P", "PPL", cc, "", "01",
                      "", "", "", "0", "", "300", "Asia/Baghdad", "2020-01-01"]) + "\n"


@pytest.mark.slow  # imports a GeoNames dump into a copy of the index (about 50 s)
def test_install_geonames_from_a_folder_imports_the_country_dump(index_copy, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("GEOEVENTS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "dumps"
    folder.mkdir()
    with zipfile.ZipFile(folder / "IQ.zip", "w") as z:  # as GeoNames publishes it
        z.writestr("IQ.txt", _row(99000001, "Qaryat Zawiyat al-Test", 35.1, 43.7, "IQ",
                                  "Zawiyat Test"))
    res = pi.install_geonames(["iq"], from_dir=folder, index=index_copy)
    assert res[0].added == 1
    man = pi.manifest()
    assert man["IQ"]["sha256"] and "local folder" in man["IQ"]["source"]
    g = Gazetteer(index_copy, verbose=False)
    r = g.resolve("Zawiyat Test", Context(countries=("IQ",)))
    assert r.status == "resolved" and km(r.lat, r.lon, 35.1, 43.7) < 1
    # the hint no longer names a country whose dump is in
    miss = g.resolve("Xqzwvb Kjhgf", Context(countries=("IQ",)))
    assert "install geonames" not in (miss.reason or "")
    g.close()


def test_install_geonames_checks_codes_and_folder(tmp_path):
    with pytest.raises(InputError, match="country code"):
        pi.install_geonames(["Syria"], from_dir=tmp_path)
    with pytest.raises(InputError, match=r"SY\.zip"):
        pi.install_geonames(["SY"], from_dir=tmp_path)


def test_offline_download_names_the_offline_way(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOEVENTS_HOME", str(tmp_path / "home"))
    with pytest.raises(pi.DownloadError, match="--from DIR"):
        pi.download(["SY"], base="http://127.0.0.1:9/export/dump")


def test_download_is_cached_by_its_checksum(tmp_path, monkeypatch):
    """GeoNames dumps come through the same cached download as Natural Earth's layers
    (gazetteer.paths.fetch): a second download of an intact file asks nothing, a refresh or a
    damaged file asks again, and the manifest records the checksum."""
    from .test_naturalearth import _Server

    monkeypatch.setenv("GEOEVENTS_HOME", str(tmp_path / "home"))
    www = tmp_path / "www"
    www.mkdir()
    with zipfile.ZipFile(www / "IQ.zip", "w") as z:
        z.writestr("IQ.txt", _row(99000001, "Qaryat al-Test", 35.1, 43.7, "IQ"))
    server = _Server(www)
    try:
        [got] = pi.download(["IQ"], base=server.url)
        assert got.read_bytes() == (www / "IQ.zip").read_bytes()
        assert pi.manifest()["IQ"]["source"] == f"{server.url}/IQ.zip"
        assert len(server.requests) == 1
        pi.download(["IQ"], base=server.url)
        assert len(server.requests) == 1
        pi.download(["IQ"], base=server.url, refresh=True)
        assert len(server.requests) == 2
        got.write_bytes(b"damaged")
        pi.download(["IQ"], base=server.url)
        assert len(server.requests) == 3 and got.read_bytes() == (www / "IQ.zip").read_bytes()
    finally:
        server.close()


def test_unanswered_names_say_which_install_helps(gz):
    r = gz.resolve("Xqzwvb Kjhgf", Context(countries=("SY",)))
    assert r.status == "unresolved"
    assert "geoevents data install geonames SY" in r.reason


def test_csv_of_places_with_a_column_mapping(index_copy, tmp_path):
    f = tmp_path / "pcodes.csv"
    f.write_text("PCODE;NAME_EN;NAME_AR;LAT;LON\n"
                 "C9001;Tall Zuwayr al-Gharbi;تل زوير الغربي;36,61;40,23\n"
                 "C9002;;x;36.2;40.1\n"
                 "C9003;Khirbat al-Test;;abc;40\n", encoding="utf-8")
    cols = pi.parse_columns("name=NAME_EN,lat=LAT,lon=LON,alt_names=NAME_AR,id=PCODE")
    res, rejected = pi.import_csv(f, cols, index_copy, country="SY")
    assert res.added == 1 and res.rows == 3
    assert [ln for ln, _ in rejected] == [3, 4]  # every row accounted for, with its line
    g = Gazetteer(index_copy, verbose=False)
    for name in ("Tall Zuwayr al-Gharbi", "تل زوير الغربي"):
        r = g.resolve(name, Context(countries=("SY",)))
        assert r.status == "resolved" and km(r.lat, r.lon, 36.61, 40.23) < 1
        assert r.place.uid == "import:pcodes:C9001"
    g.close()
    again, _ = pi.import_csv(f, cols, index_copy, country="SY")
    assert again.unchanged


def test_csv_column_mapping_errors():
    with pytest.raises(InputError, match="lat"):
        pi.parse_columns("name=A,lon=B")
    with pytest.raises(InputError, match="unknown field"):
        pi.parse_columns("name=A,lat=B,lon=C,colour=D")


def test_cli_csv_import_and_data_install_messages(cli, tmp_path):
    f = tmp_path / "list.csv"
    f.write_text("name,y,x\nAl-Testiyah,34.5,38.5\n", encoding="utf-8")
    r = cli("gazetteer", "import", str(f), "--columns", "name=name,lat=lat,lon=x",
            "--index", str(tmp_path / "i.sqlite"))
    assert r.returncode == 2 and "no column 'lat'" in r.stderr and "Traceback" not in r.stderr
    r = cli("data", "install", "geonames", "XX", "--from", str(tmp_path))
    assert r.returncode == 2 and "country code" in r.stderr

"""The five seed articles give at least the six incidents of the issue, with their figures, and
keep the places they only mention as context."""

from __future__ import annotations

from datetime import date

import pytest

from geoevents.extract import extract_files, load_meta

from .geo import km


@pytest.fixture(scope="module")
def seeds(shared, gz):
    files = sorted(str(p) for p in (shared / "seeds").glob("*.txt"))
    return extract_files(files, gz, meta=load_meta(shared / "seeds" / "meta.yaml"))


def _one(seeds, day: date, place_lat: float, place_lon: float, within_km: float = 30):
    found = [i for i in seeds.incidents
             if i.date.start and i.date.start <= day <= i.date.end
             and km(i.location.lat, i.location.lon, place_lat, place_lon) < within_km]
    assert len(found) == 1, [(str(i.date), i.location.name) for i in seeds.incidents]
    return found[0]


def _fig(inc, *, source: str, side: str, kind: str = "killed", via: str | None = None):
    out = [c for c in inc.casualties if c.source == source and c.side == side and c.kind == kind
           and (via is None or c.via == via) and c.part_of != c.side]
    assert out, (source, side, kind, [(c.source, c.side, c.kind, c.via) for c in inc.casualties])
    return out


MAYADEEN = (35.01982, 40.45154)
PALMYRA = (34.5624, 38.2840)


def test_no_rejections_and_at_least_six_incidents(seeds):
    assert seeds.rejections == []
    assert len(seeds.incidents) >= 6
    assert len(seeds.articles) == 5


def test_incident_1_the_attack_near_mayadeen_from_four_articles(seeds):
    inc = _one(seeds, date(2018, 5, 23), *MAYADEEN, within_km=10)
    assert inc.date.precision == "day" and inc.date.start == date(2018, 5, 23)
    assert inc.location.place_id == "geonames:173480"
    assert inc.location.precision in (1, 2)
    assert inc.event_type == "Battles"
    assert inc.actor1 == "Islamic State"
    assert inc.actor2 == "Syrian government forces"
    assert "Russian forces" in inc.assoc_actors
    assert inc.associated(2) == ["Russian forces"]  # with the Syrian forces, not with IS
    # Every source, one incident.
    files = {s.file for s in inc.sources}
    assert {f[:3] for f in files} == {"000", "001", "002", "003"}
    assert {s.outlet for s in inc.sources} == {"The Independent", "Arab News (AFP)", "Al Jazeera",
                                               "AsiaNews"}
    # 35 pro-government fighters killed per SOHR, including at least 9 Russians.
    sohr = "Syrian Observatory for Human Rights"
    pro = _fig(inc, source=sohr, side="pro-government forces")
    assert {(c.low, c.best, c.high) for c in pro} == {(35, 35, 35)}
    # "The remaining 26 were all Syrian forces, he told AFP": the rest of SOHR's 35.
    syr = _fig(inc, source=sohr, side="Syrian government forces")
    assert [(c.best, c.part_of) for c in syr] == [(26, "pro-government forces")]
    rus = [c for c in inc.casualties if c.source == sohr and c.side == "Russian"]
    assert rus and all(c.low == 9 and c.high is None and c.part_of == "pro-government forces"
                       for c in rus)
    # 4 Russian servicemen killed per the Russian defence ministry: 2 at once, 2 in hospital.
    mod = "Russian defence ministry"
    killed = _fig(inc, source=mod, side="Russian")
    assert {c.best for c in killed} == {4}
    breakdown = next(c for c in killed if c.via == "Arab News (AFP)")
    assert "died immediately" in breakdown.note and "wounds" in breakdown.note
    assert "2 + 2" in next(c for c in killed if c.via == "Al Jazeera").note
    # Wounded: Al Jazeera quotes the ministry's 5 (2 of whom died later), Arab News its "three
    # others" - each source's figure is kept and the difference is noted.
    wounded = {c.via: c.best for c in _fig(inc, source=mod, side="Russian", kind="wounded")}
    assert wounded == {"Al Jazeera": 5, "Arab News (AFP)": 3}
    assert inc.wounded.high == 5 and inc.wounded.low == 3
    assert "Russian defence ministry quoted with different Russian wounded figures" in inc.notes
    # 43 attackers killed per the ministry.
    att = _fig(inc, source=mod, side="attackers")
    assert {c.best for c in att} == {43} and all(c.party == "A" for c in att)
    # Russian deaths over all sources: low 4, high 9.
    r = inc.figures_for("Russian")
    assert (r.low, r.high) == (4, 9)
    # The incident total: the attackers and the pro-government side, each counted once.
    assert inc.fatalities.best == 78
    # The Conflict Intelligence Team's "up to six" is kept as a high figure only.
    cit = _fig(inc, source="Conflict Intelligence Team", side="Russian")
    assert [(c.low, c.best, c.high) for c in cit] == [(None, None, 6)]


def test_incident_2_homs_desert_on_tuesday(seeds):
    incs = [i for i in seeds.incidents if i.date.start == date(2018, 5, 22)]
    assert len(incs) == 1
    inc = incs[0]
    assert inc.date.precision == "day"
    assert inc.location.country == "SY" and inc.location.admin1 == "Homs"
    assert inc.location.precision == 3  # area-level: the desert of Homs province
    assert inc.fatalities == (26, 26, 26)
    assert _fig(inc, source="Syrian Observatory for Human Rights",
                side="Syrian government forces")[0].best == 26
    assert [s.file[:3] for s in inc.sources] == ["001"]


def test_incident_2_is_placed_by_the_gazetteer_reading_the_province_phrase(seeds):
    inc = next(i for i in seeds.incidents if i.date.start == date(2018, 5, 22))
    assert "does not read" not in inc.location.note
    assert inc.location.kind in ("admin1", "region", "desert")


def test_incident_3_two_attacks_in_deir_ezzor_on_the_night_of_26_27_may(seeds):
    incs = [i for i in seeds.incidents if i.date.start == date(2018, 5, 26)]
    assert len(incs) == 1
    inc = incs[0]
    assert inc.date.end == date(2018, 5, 27) and inc.date.precision == "range"
    assert inc.date.text == "between Saturday night and Sunday morning"
    assert inc.location.admin1 == "Deir ez-Zor"
    assert km(inc.location.lat, inc.location.lon, 35.336, 40.141) < 60
    # "in Deir Ezzor" in a story that calls it "the province of Deir Ezzor" (the city only in a
    # photo caption): the province, area-level, not a pin on the city
    assert inc.location.precision == 3
    # "killed 11": low 11; high 11 or open (not some other figure with the low ignored)
    assert inc.fatalities.low == 11 and inc.fatalities.high in (None, 11)
    assert "pair of" in inc.notes  # two attacks reported together


def test_incident_4_hmeimim_plane_crash_in_march(seeds):
    incs = [i for i in seeds.incidents if i.date.precision == "month"]
    assert len(incs) == 1
    inc = incs[0]
    assert (inc.date.start, inc.date.end) == (date(2018, 3, 1), date(2018, 3, 31))
    assert inc.location.name == "Hmeimim Air Base" and inc.location.precision == 1
    assert inc.fatalities == (39, 39, 39)
    assert inc.event_type == "Strategic developments"


def test_incident_5_iraqi_air_strike_on_hajin(seeds):
    inc = _one(seeds, date(2018, 5, 24), 34.69508, 40.83138, within_km=5)
    assert inc.date.precision == "day"
    assert inc.event_type == "Explosions/Remote violence"
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.actor1 == "Iraqi forces" and inc.actor2 == "Islamic State"
    assert [s.file[:3] for s in inc.sources] == ["003"]


def test_incident_6_fighting_near_palmyra_claimed_and_not_confirmed(seeds):
    inc = _one(seeds, date(2016, 3, 16), *PALMYRA, within_km=15)
    assert (inc.date.start, inc.date.end) == (date(2016, 3, 16), date(2016, 3, 17))
    assert inc.location.precision == 2
    assert inc.actor1 == "Islamic State"
    # Four Russian soldiers at Qasr al-Halabat west of Palmyra, an adviser in the Dawa area.
    parts = {c.where: c.best for c in inc.casualties
             if c.source == "Aamaq" and c.part_of == "Russian"}
    assert parts.get("Qasr al-Halabat west of Palmyra") == 4
    assert [v for k, v in parts.items() if "Dawa" in k] == [1]
    assert "Qasr al-Halabat" in inc.notes and "Al-Dawa" in inc.notes
    claims = {c.claimant: c for c in inc.claims}
    assert {"Islamic State", "Aamaq"} <= set(claims)
    for c in claims.values():
        assert set(c.not_confirmed_by) >= {"Syrian Observatory for Human Rights", "Kremlin"}
        assert c.independent is False
    assert inc.figures_for("Russian").best == 5


def test_incident_6_sub_places_are_read_by_the_gazetteer(seeds):
    inc = _one(seeds, date(2016, 3, 16), *PALMYRA, within_km=15)
    assert "Qasr al-Halabat" in inc.notes and "does not read" not in inc.notes


def test_places_only_mentioned_are_context_not_incidents(seeds):
    ctx = [c for c in seeds.context if c.kind == "place"]
    by_name = {}
    for c in ctx:
        by_name.setdefault(c.name or c.text, []).append(c.reason)
    # Funerals in Chita and Smolensk, Moscow, Yarmouk (origin of fighters), Daraa, captions.
    assert any("funeral" in r for r in by_name["Smolensk"])
    assert "Chita" in by_name
    assert "Moscow" in by_name
    assert any("came from" in r for r in by_name["al-Yarmūk"])
    assert "Dar‘ā" in by_name
    assert any("caption" in r for r in by_name["Ḩarastā"])
    assert any(c.reason.startswith("dateline") and c.text == "BEIRUT" for c in ctx)
    for inc in seeds.incidents:
        assert inc.location.country == "SY"
        assert inc.location.name not in ("Chita", "Smolensk", "Moscow", "al-Yarmūk", "Dar‘ā",
                                         "Ḩarastā", "Damascus")


def test_tallies_and_background_are_not_incidents(seeds):
    events = [c for c in seeds.context if c.kind == "event"]
    texts = " ".join(c.text for c in events)
    assert "92" in texts  # "92 soldiers have been killed in Syria since 2015"
    assert "1,799" in texts  # the Observatory's toll of Russian air strikes
    assert "November 2017" in texts  # Deir Ezzor recaptured: no figure, month only
    for inc in seeds.incidents:
        assert inc.fatalities.best not in (92, 76, 200, 1799)


def test_media_names_are_not_places(gz):
    from geoevents.extract import extract_text

    text = ("Clashes near Hajin\n\nAn Al-Mayadeen correspondent said clashes near Hajin killed "
            "three fighters on Monday. Al Jazeera and Arab News quoted the same figure, as did "
            "AsiaNews.")
    res = extract_text(text, gz, published=date(2019, 1, 9), outlet="Test Wire")
    assert len(res.incidents) == 1
    assert res.incidents[0].location.name == "Hajīn"
    names = {c.text for c in res.context}
    assert not any("Mayadeen" in n for n in names if not n.startswith("Al-Mayadeen"))
    assert all(inc.location.name != "Al Mayādīn" for inc in res.incidents)

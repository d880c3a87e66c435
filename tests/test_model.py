"""The incident model: validation messages, stable ids, how figures combine, precisions."""

from __future__ import annotations

from datetime import date

import pytest

from geoevents.model import (
    Casualty,
    Claim,
    EventDate,
    Figure,
    Incident,
    IncidentError,
    Location,
    Source,
    combine,
)


def _inc(**kw) -> Incident:
    base = dict(date=EventDate.day(date(2018, 5, 23)),
                location=Location("Mayadeen", "Al Mayādīn", "geonames:173480", "SY",
                                  "Deir ez-Zor", 35.02, 40.45, 1),
                event_type="Battles", sub_event_type="Armed clash", actor1="Islamic State",
                sources=[Source("Outlet", "https://x", date(2018, 5, 27))])
    base.update(kw)
    return Incident(**base)


def test_validation_names_every_problem():
    inc = _inc(date=EventDate.day(date(2018, 6, 2)),
               location=Location("x", lat=91.0, lon=200.0, precision=4),
               event_type="Battles", sub_event_type="Air/drone strike",
               casualties=[Casualty("killed", "x", low=5, best=3, high=9),
                           Casualty("wounded", "y", low=2, best=12, high=10),
                           Casualty("maimed", "z", best=-1)])
    problems = inc.problems()
    text = "\n".join(problems)
    assert "date 2018-06-02 is after the publication date 2018-05-27 of its source Outlet" in text
    assert "latitude 91.0 is outside -90..90" in text
    assert "longitude 200.0 is outside -180..180" in text
    assert "geo_precision 4 is not 1, 2 or 3" in text
    assert "sub-event type 'Air/drone strike' does not belong to 'Battles'" in text
    assert "best 3 is below low 5" in text
    assert "best 12 is above high 10" in text
    assert "kind must be killed or wounded" in text and "best -1 is negative" in text
    with pytest.raises(IncidentError) as e:
        inc.validate("item 3")
    assert str(e.value).startswith("item 3: ")
    assert _inc().problems() == []


def test_id_is_stable_and_comes_from_the_content():
    a, b = _inc(), _inc()
    assert a.content_id() == b.content_id()
    assert a.content_id().startswith("inc-") and len(a.content_id()) == 16
    # Figures do not change the id (a corrected figure keeps it); place and date do.
    c = _inc(casualties=[Casualty("killed", "x", best=3)])
    assert c.content_id() == a.content_id()
    assert _inc(date=EventDate.day(date(2018, 5, 22))).content_id() != a.content_id()
    d = _inc()
    d.location.lat = 35.5
    assert d.content_id() != a.content_id()
    # And survives a round trip.
    back = Incident.from_dict(a.ensure_id().to_dict())
    assert back.id == a.id and back == a


def test_combine_low_best_high_over_sources():
    es = [Casualty("killed", "R", 9, 9, None, "SOHR"), Casualty("killed", "R", 4, 4, 4, "MoD"),
          Casualty("killed", "R", 4, 4, 4, "newspaper"), Casualty("killed", "R", None, None, 6,
                                                                  "CIT")]
    assert combine(es) == Figure(4, 4, 9)
    # ACLED's proxy for "dozens" counts only when no source gives a number.
    assert combine([Casualty("killed", "A", 12, 12, 12, "x", vague=True),
                    Casualty("killed", "A", 43, 43, 43, "y")]) == Figure(43, 43, 43)
    assert combine([Casualty("killed", "A", 12, 12, 12, "x", vague=True)]) == Figure(12, 12, 12)
    # Ties go to the lower figure (ACLED's conservative rule).
    assert combine([Casualty("killed", "A", 7, 7, None, "a"),
                    Casualty("killed", "A", 8, 8, 8, "b")]) == Figure(7, 7, 8)


def test_totals_count_each_party_once():
    sohr, mod = "SOHR", "Russian defence ministry"
    inc = _inc(casualties=[
        Casualty("killed", "pro-government forces", 35, 35, 35, sohr, party="B"),
        Casualty("killed", "Russian", 9, 9, None, sohr, party="B",
                 part_of="pro-government forces"),
        Casualty("killed", "Russian", 4, 4, 4, mod, party="B"),  # a part: not the party total
        Casualty("killed", "Syrian government forces", 26, 26, None, "agencies", party="B"),
        Casualty("killed", "Russian", 9, 9, None, "agencies", party="B"),
        Casualty("killed", "attackers", 43, 43, 43, mod, party="A"),
        Casualty("killed", "fighters", 35, 35, 35, sohr),  # the same 35, side not said
    ])
    assert inc.party_figures() == {"A": Figure(43, 43, 43), "B": Figure(35, 35, 35)}
    assert inc.fatalities == Figure(78, 78, 78)
    assert inc.figures_for("Russian") == Figure(4, 9, 9)  # 9 from two sources, 4 from one


def test_a_whole_incident_toll_is_weighed_against_the_parties():
    inc = _inc(casualties=[Casualty("killed", "SDF", 4, 4, 4, "A", party="B"),
                           Casualty("killed", "", 5, 5, 5, "B")])
    assert inc.fatalities == Figure(4, 4, 5)
    only_total = _inc(casualties=[Casualty("killed", "", 12, 12, 12, "ACLED")])
    assert only_total.fatalities == Figure(12, 12, 12)
    nothing = _inc()
    assert nothing.fatalities == Figure(None, None, None) and str(nothing.fatalities) == "-"


def test_people_killed_is_a_toll_of_the_whole_incident():
    # "217 people were executed", then 67 civilians and 150 soldiers: the parts of the 217,
    # not more dead.
    inc = _inc(casualties=[Casualty("killed", "people", 217, 217, 217, "M"),
                           Casualty("killed", "civilians", 67, 67, 67, "M", party="civilians"),
                           Casualty("killed", "soldiers", 150, 150, 150, "M", party="B")])
    assert inc.fatalities.best == 217
    # Not when it is a party's ("people" of side B).
    inc = _inc(casualties=[Casualty("killed", "people", 5, 5, 5, "M", party="B"),
                           Casualty("killed", "militants", 7, 7, 7, "M", party="A")])
    assert inc.fatalities.best == 12


def test_date_precisions_map_to_acled_and_ucdp():
    day = EventDate.day(date(2018, 5, 23))
    rng = EventDate(date(2018, 5, 26), date(2018, 5, 27), "range")
    week = EventDate(date(2018, 5, 21), date(2018, 5, 27), "week")
    month = EventDate(date(2018, 3, 1), date(2018, 3, 31), "month")
    unknown = EventDate.unknown(date(2018, 5, 27))
    assert [d.acled_time_precision for d in (day, rng, week, month, unknown)] == [1, 2, 2, 3, 3]
    assert [d.ucdp_date_prec for d in (day, rng, week, month, unknown)] == [1, 2, 3, 4, 5]
    assert unknown.overlaps(day) and not unknown.overlaps(EventDate.day(date(2018, 6, 1)))
    assert week.overlaps(day) and not rng.overlaps(day)
    assert day.intersect(week) == day and unknown.intersect(rng) == rng


def test_ucdp_where_prec_from_the_location():
    assert Location(precision=1, kind="populated_place").ucdp_where_prec == 1
    assert Location(precision=2).ucdp_where_prec == 2
    assert Location(precision=3, kind="admin1").ucdp_where_prec == 4
    assert Location(precision=3, kind="region").ucdp_where_prec == 5
    assert Location(precision=3, kind="country").ucdp_where_prec == 6


def test_from_dict_reads_hand_written_totals_and_rejects_unknown_fields():
    inc = Incident.from_dict({"date": {"start": "2018-05-23", "precision": "day"},
                              "location": {"lat": 35, "lon": 40, "precision": 1},
                              "fatalities": {"low": 3, "best": 4, "high": 6},
                              "claims": [Claim("IS", "killed 5").to_dict()]})
    assert inc.fatalities == Figure(3, 4, 6)
    assert inc.claims[0].claimant == "IS"
    with pytest.raises(IncidentError) as e:
        Incident.from_dict({"when": "yesterday"})
    assert "unknown field(s) when" in str(e.value)
    with pytest.raises(IncidentError) as e:
        Incident.from_dict({"date": {"start": "23/05/2018"}})
    assert "is not a date" in str(e.value)


def test_a_lower_bound_does_not_erase_another_sources_best():
    # One source: 68 civilians killed; another: "at least 60" dead, the party but no group
    # named, known only as a lower bound (a table's low column).
    inc = _inc(casualties=[
        Casualty("killed", "civilians", 68, 68, 68, "Monitor", party="civilians"),
        Casualty("killed", "", 60, None, None, "Agency", party="civilians"),
    ])
    assert inc.party_figures() == {"civilians": Figure(60, 68, 68)}
    assert inc.fatalities == Figure(60, 68, 68)
    # The same lower bound for the whole incident.
    whole = _inc(casualties=[
        Casualty("killed", "civilians", 68, 68, 68, "Monitor", party="civilians"),
        Casualty("killed", "", 60, None, None, "Agency"),
    ])
    assert whole.fatalities == Figure(60, 68, 68)
    # A party known only by its lower bound adds it to the best; the high is unknown, and the
    # low never exceeds the best.
    two = _inc(casualties=[
        Casualty("killed", "Islamic State", 68, 68, 68, "Monitor", party="A"),
        Casualty("killed", "SDF", 60, None, None, "Agency", party="B"),
    ])
    assert two.fatalities == Figure(128, 128, None)
    groups = _inc(casualties=[
        Casualty("killed", "SDF", None, 68, None, "Monitor", party="B"),
        Casualty("killed", "YPG", 60, None, None, "Agency", party="B"),
    ])
    f = groups.fatalities
    assert f.best == 128 and f.low <= f.best and f.high is None

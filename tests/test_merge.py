"""Several reports of one event merge into one incident; different events stay apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from geoevents.merge import merge_incidents
from geoevents.model import Casualty, EventDate, Incident, Location, Source

MAYADEEN = Location("Mayadeen", "Al Mayādīn", "geonames:173480", "SY", "Deir ez-Zor", 35.0198,
                    40.4515, 1, "populated_place")
NEAR_MAYADEEN = Location("near the town of Mayadeen", "Al Mayādīn", "geonames:173480", "SY",
                         "Deir ez-Zor", 35.0198, 40.4515, 2, "populated_place")
PROVINCE = Location("Deir Az Zor province", "Deir ez-Zor", "admin1:SY.07", "SY", "Deir ez-Zor",
                    35.3, 40.1, 3, "admin1")
HAJIN = Location("Hajin", "Hajīn", "geonames:174506", "SY", "Deir ez-Zor", 34.695, 40.831, 1)
HOMS = Location("Homs", "Homs", "geonames:169577", "SY", "Homs", 34.72, 36.73, 1)


def _report(file: str, loc: Location, d: EventDate, *, figs=(), et="Battles",
            actor1="Islamic State", pub=date(2018, 5, 27)) -> Incident:
    return Incident(date=d, location=loc, event_type=et, actor1=actor1,
                    casualties=[Casualty("killed", s, n, n, n, src, party=p, via=file)
                                for s, n, src, p in figs],
                    sources=[Source(file, "", pub, "", file)]).ensure_id()


WED = EventDate.day(date(2018, 5, 23))


def test_reports_of_one_event_merge_keeping_every_source_and_figure():
    a = _report("a", MAYADEEN, WED, figs=[("Russian", 4, "MoD", "B"), ("attackers", 43, "MoD", "A")])
    b = _report("b", NEAR_MAYADEEN, EventDate(date(2018, 5, 21), date(2018, 5, 27), "week"),
                figs=[("Russian", 9, "SOHR", "B")])
    c = _report("c", PROVINCE, EventDate.unknown(date(2018, 5, 27)),
                figs=[("Russian", 4, "MoD", "B"), ("attackers", 43, "MoD", "A")],
                actor1="unidentified armed group")
    [m] = merge_incidents([c, b, a])
    assert {s.file for s in m.sources} == {"a", "b", "c"}
    assert m.date == WED
    assert m.location.place_id == "geonames:173480" and m.location.precision == 2
    assert m.actor1 == "Islamic State"
    assert m.figures_for("Russian").low == 4 and m.figures_for("Russian").high == 9
    assert len(m.casualties) == 5
    assert m.id == m.content_id() and m.id not in (a.id, b.id, c.id)


def test_different_events_stay_apart():
    base = _report("a", MAYADEEN, WED)
    other_day = _report("b", MAYADEEN, EventDate.day(date(2018, 5, 22)))
    other_place = _report("c", HOMS, WED)
    other_type = _report("d", MAYADEEN, WED, et="Explosions/Remote violence")
    other_actor = _report("e", MAYADEEN, WED, actor1="Hayat Tahrir al-Sham")
    assert len(merge_incidents([base, other_day, other_place, other_type, other_actor])) == 5
    # Hajin is 55 km from Mayadeen: not "within a few km".
    assert len(merge_incidents([base, _report("f", HAJIN, WED)])) == 2


def test_one_article_reporting_two_events_is_not_merged_with_itself():
    a1 = _report("same.txt", MAYADEEN, WED)
    a2 = _report("same.txt", NEAR_MAYADEEN, WED, figs=[("x", 3, "y", "B")])
    assert len(merge_incidents([a1, a2])) == 2


def test_an_undated_report_joins_the_event_sharing_its_figures():
    """Two events in the province could both be the undated report: the one with the same
    source's same figures wins."""
    e1 = _report("a", MAYADEEN, WED, figs=[("Russian", 4, "MoD", "B")])
    e3 = _report("a2", HAJIN, EventDate(date(2018, 5, 26), date(2018, 5, 27), "range"),
                 figs=[("pro-government forces", 11, "", "B")])
    undated = _report("c", PROVINCE, EventDate.unknown(date(2018, 5, 27)),
                      figs=[("Russian", 4, "MoD", "B")])
    out = merge_incidents([e3, undated, e1])
    assert len(out) == 2
    merged = next(i for i in out if len(i.sources) == 2)
    assert {s.file for s in merged.sources} == {"a", "c"}


def test_merging_is_deterministic():
    a = _report("a", MAYADEEN, WED, figs=[("Russian", 4, "MoD", "B")])
    b = _report("b", NEAR_MAYADEEN, WED, figs=[("Russian", 9, "SOHR", "B")])
    x = merge_incidents([a, b])
    y = merge_incidents([b, a])
    assert [i.to_dict() for i in x] == [i.to_dict() for i in y]


def test_undated_reports_need_evidence_to_merge():
    undated = _report("u", PROVINCE, EventDate.unknown(date(2018, 5, 27)),
                      figs=[("Russian", 4, "MoD", "B")])
    other_undated = _report("v", HAJIN, EventDate.unknown(None), figs=[("SDF", 5, "SDF", "B")])
    # Two undated reports are never one event on their own.
    assert len(merge_incidents([undated, other_undated])) == 2
    # A dated event in the province with nothing in common stays apart from the undated one.
    dated = _report("w", MAYADEEN, WED, figs=[("pro-government forces", 35, "SOHR", "B")])
    assert len(merge_incidents([undated, dated])) == 2


def test_merged_reports_keep_a_best_figure_against_a_lower_bound():
    from geoevents.model import Casualty, Figure

    a = _report("a", HAJIN, WED)
    b = _report("b", HAJIN, WED)
    a.casualties = [Casualty("killed", "civilians", 68, 68, 68, "a", party="civilians", via="a")]
    b.casualties = [Casualty("killed", "", 60, None, None, "b", party="civilians", via="b")]
    [m] = merge_incidents([a, b])
    assert len(m.sources) == 2
    assert m.fatalities == Figure(60, 68, 68)


def test_a_direction_from_a_town_joins_a_town_that_way():
    # Mayadeen lies ~40 km south-east of Deir ez-Zor city; Homs is far west of it.
    ne = Location("southeast of Deir ez-Zor city", "Deir ez-Zor", "geonames:170794", "SY",
                  "Deir ez-Zor", 35.336, 40.141, 2, "populated_place")
    a = _report("a", ne, WED, figs=[("civilians", 11, "police", "B")])
    b = _report("b", MAYADEEN, WED, figs=[("civilians", 11, "officials", "B")])
    assert len(merge_incidents([a, b])) == 1
    nw = Location("northwest of Deir ez-Zor city", "Deir ez-Zor", "geonames:170794", "SY",
                  "Deir ez-Zor", 35.336, 40.141, 2, "populated_place")
    c = _report("c", nw, WED, figs=[("civilians", 11, "police", "B")])
    assert len(merge_incidents([c, b])) == 2


def test_a_report_week_is_an_undated_report_for_merging():
    """A date only the report's publication gives (the week up to it) joins a dated event as
    an undated report does: on the same source's same figure, or the very same place; the
    merged incident takes the date the dated report gives."""
    week = EventDate.report_week(date(2018, 5, 27))
    assert week.known and not week.given and week.precision == "week"
    undated = _report("u", PROVINCE, week, figs=[("Russian", 4, "MoD", "B")])
    other = _report("v", HAJIN, EventDate.report_week(date(2018, 5, 26)),
                    figs=[("SDF", 5, "SDF", "B")])
    assert len(merge_incidents([undated, other])) == 2
    dated = _report("w", MAYADEEN, WED, figs=[("pro-government forces", 35, "SOHR", "B")])
    assert len(merge_incidents([undated, dated])) == 2
    same = _report("x", MAYADEEN, WED, figs=[("Russian", 4, "MoD", "B")])
    [m] = merge_incidents([undated, same])
    assert m.date == WED and m.date.given
    month = EventDate(date(2018, 5, 1), date(2018, 5, 31), "month")
    assert week.intersect(month) == month and month.intersect(week) == month
    assert week.intersect(EventDate.report_week(date(2018, 5, 25))).end == date(2018, 5, 25)


def _inc(file: str, loc: Location, d: EventDate, *, a1="", a2="", killed=None, src="",
         et="Battles", sub="Armed clash") -> Incident:
    cas = [Casualty("killed", "", killed, killed, killed, src, via=file)] if killed else []
    return Incident(date=d, location=loc, event_type=et, sub_event_type=sub, actor1=a1,
                    actor2=a2, casualties=cas,
                    sources=[Source(file, "", date(2018, 5, 27), f"q-{file}-{killed}", file)]
                    ).ensure_id()


def test_actors_line_up_either_way_round():
    """ACLED's actors have no direction: one report's side A may be the other's side B."""
    attacker = _inc("a", MAYADEEN, WED, a1="Islamic State")
    victim = _inc("b", MAYADEEN, WED, a1="Syrian Democratic Forces", a2="unidentified armed group")
    assert len(merge_incidents([attacker, victim])) == 1
    both = _inc("c", MAYADEEN, WED, a1="Syrian Democratic Forces", a2="Islamic State")
    assert len(merge_incidents([_inc("d", MAYADEEN, WED, a1="Islamic State",
                                     a2="Syrian Democratic Forces"), both])) == 1
    # Each names only its own side A, and another one: nothing lines them up.
    other = _inc("e", MAYADEEN, WED, a1="Hayat Tahrir al-Sham")
    assert len(merge_incidents([attacker, other])) == 2


def test_a_night_may_be_dated_either_side_of_midnight():
    night = _inc("a", MAYADEEN, EventDate(date(2018, 5, 22), date(2018, 5, 22), "day",
                                          "Tuesday night"))
    dawn = _inc("b", NEAR_MAYADEEN, EventDate(date(2018, 5, 23), date(2018, 5, 23), "day",
                                              "at dawn on Wednesday"))
    assert len(merge_incidents([night, dawn])) == 1
    day_before = _inc("c", MAYADEEN, EventDate(date(2018, 5, 22), date(2018, 5, 22), "day",
                                               "on Tuesday"))
    assert len(merge_incidents([day_before, _inc("d", MAYADEEN, WED)])) == 2
    two_days = _inc("e", MAYADEEN, EventDate(date(2018, 5, 21), date(2018, 5, 21), "day",
                                             "Monday night"))
    assert len(merge_incidents([two_days, dawn])) == 2


TOWN = Location("the town of X", "X", "geonames:1", "SY", "Deir ez-Zor", 35.00, 40.45, 2,
                "populated_place")
TOWN_EAST = Location("Y", "Y", "geonames:2", "SY", "Deir ez-Zor", 35.00, 40.85, 1,
                     "populated_place")  # about 36 km east of X
WEST = Location("western Deir ez-Zor countryside", "western Deir ez-Zor", "region:w", "SY",
                "Deir ez-Zor", 35.3, 40.0, 3, "region")


def test_an_undated_report_joins_on_the_same_toll_of_more_than_one():
    week = EventDate.report_week(date(2018, 5, 27))
    undated = _inc("u", PROVINCE, week, killed=6)
    assert len(merge_incidents([undated, _inc("d", TOWN, WED, killed=6)])) == 1
    assert len(merge_incidents([undated, _inc("e", TOWN, WED, killed=5)])) == 2
    one = _inc("v", PROVINCE, week, killed=1)
    assert len(merge_incidents([one, _inc("f", TOWN, WED, killed=1)])) == 2
    # The same gazetteer place read as precisely is evidence; a district near it is not.
    near = _inc("w", TOWN, week)
    assert len(merge_incidents([near, _inc("g", TOWN, WED)])) == 1
    at = _inc("x", replace(TOWN, precision=1), week)
    assert len(merge_incidents([at, _inc("h", TOWN, WED)])) == 2


def test_the_event_agreeing_in_place_and_name_wins():
    # Two events of one report the same day; another report's event goes with the one whose
    # point agrees with its own, not with the one in an area around it.
    area = _inc("a", WEST, WED, killed=25, et="Explosions/Remote violence", sub="Air/drone strike")
    town = _inc("a", replace(TOWN, written="east of X"), WED, killed=17, et="Explosions/Remote violence", sub="Air/drone strike")
    other = _inc("b", TOWN_EAST, WED, killed=46, et="Explosions/Remote violence",
                 sub="Air/drone strike")
    from itertools import permutations

    for order in permutations([area, town, other]):  # whichever comes first
        out = merge_incidents(list(order))
        (m,) = [i for i in out if len(i.sources) == 2]
        assert {c.best for c in m.casualties} == {17, 46}
    # The words shared by the places as written count, not the city both are in.
    east = Location("eastern Baghdad", "eastern Baghdad", "region:eb", "IQ", "Baghdad", 33.33,
                    44.45, 3, "region")
    karrada = replace(east, written="district of Karrada")
    central = Location("central Baghdad", "Baghdad", "admin1:IQ.BG", "IQ", "Baghdad", 33.34,
                       44.40, 3, "admin1")
    big = _inc("c", karrada, WED, killed=86, et="Explosions/Remote violence", sub="")
    small = _inc("c", east, WED, killed=5, et="Explosions/Remote violence", sub="")
    later = _inc("d", central, WED, killed=324, et="Explosions/Remote violence", sub="")
    for order in permutations([big, small, later]):
        out = merge_incidents(list(order))
        (m,) = [i for i in out if len(i.sources) == 2]
        assert {c.best for c in m.casualties} == {86, 324}

"""Relative dates against the publication date, and numbers as words."""

from __future__ import annotations

from datetime import date

import pytest

from geoevents.extract.dates import find_dates
from geoevents.extract.figures import find_figures
from geoevents.extract.numbers import parse_quantity

SUNDAY = date(2018, 5, 27)
MONDAY = date(2018, 5, 28)


@pytest.mark.parametrize(("text", "pub", "start", "end", "precision"), [
    ("on Wednesday", SUNDAY, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("last Wednesday", MONDAY, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("on Sunday", SUNDAY, SUNDAY, SUNDAY, "day"),
    ("last Sunday", SUNDAY, date(2018, 5, 20), date(2018, 5, 20), "day"),
    ("Wednesday’s attack", SUNDAY, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("between Saturday night and Sunday morning", SUNDAY, date(2018, 5, 26), SUNDAY, "range"),
    ("on Wednesday and Thursday", date(2016, 3, 19), date(2016, 3, 16), date(2016, 3, 17),
     "range"),
    ("earlier this week", SUNDAY, date(2018, 5, 21), SUNDAY, "week"),
    ("last week's fighting", MONDAY, date(2018, 5, 21), SUNDAY, "week"),
    ("in March", SUNDAY, date(2018, 3, 1), date(2018, 3, 31), "month"),
    ("in November", SUNDAY, date(2017, 11, 1), date(2017, 11, 30), "month"),
    ("last May", date(2016, 3, 19), date(2015, 5, 1), date(2015, 5, 31), "month"),
    ("on May 23", SUNDAY, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("23 May 2018", None, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("in November 2017", None, date(2017, 11, 1), date(2017, 11, 30), "month"),
    ("yesterday", SUNDAY, date(2018, 5, 26), date(2018, 5, 26), "day"),
    ("2018-05-23", None, date(2018, 5, 23), date(2018, 5, 23), "day"),
    ("the night of May 26-27", SUNDAY, date(2018, 5, 26), SUNDAY, "range"),
    # A period ending on the publication date: it starts N days before it (both readings,
    # with and without the publication day, are inside).
    ("in the last five days", SUNDAY, date(2018, 5, 22), SUNDAY, "range"),
    ("over the past two days", MONDAY, date(2018, 5, 26), MONDAY, "range"),
    ("during the past few hours", SUNDAY, date(2018, 5, 26), SUNDAY, "range"),
    ("in the past 48 hours", SUNDAY, date(2018, 5, 25), SUNDAY, "range"),
    ("over the last three weeks", SUNDAY, date(2018, 5, 6), SUNDAY, "range"),
    ("during 12 days of", SUNDAY, date(2018, 5, 15), SUNDAY, "range"),
    ("in the past few days", SUNDAY, date(2018, 5, 21), SUNDAY, "week"),
    # The weekend: the one the report is written in, else the one before it.
    ("over the weekend", MONDAY, date(2018, 5, 26), SUNDAY, "range"),
    ("over the weekend", SUNDAY, date(2018, 5, 26), SUNDAY, "range"),
    ("last weekend", SUNDAY, date(2018, 5, 19), date(2018, 5, 20), "range"),
    ("this evening", SUNDAY, SUNDAY, SUNDAY, "day"),
    ("this afternoon", MONDAY, MONDAY, MONDAY, "day"),
    ("the army is currently shelling", MONDAY, MONDAY, MONDAY, "day"),
])
def test_dates(text, pub, start, end, precision):
    [d] = find_dates(text, pub)
    assert (d.start, d.end, d.precision) == (start, end, precision)


def test_without_a_publication_date_relative_dates_are_unknown_not_guessed():
    [d] = find_dates("last Wednesday", None)
    assert d.precision == "unknown" and d.start is None
    assert "without the publication date" in d.problem
    [m] = find_dates("in March", None)
    assert m.precision == "unknown"


@pytest.mark.parametrize("text", ["for three days", "in the first two days of the offensive",
                                  "within 24 hours", "in the past 90 days"])
def test_a_duration_is_not_a_date(text):
    # How long, not when (and a period of months is no event date).
    assert [d for d in find_dates(text, SUNDAY) if d.resolved] == []


def test_a_period_is_written_as_the_report_says_and_unknown_without_publication():
    [d] = find_dates("shelled in the last nine days, a monitor said", SUNDAY)
    assert d.text == "in the last nine days" and d.period
    [u] = find_dates("in the last nine days", None)
    assert u.precision == "unknown" and "without the publication date" in u.problem


def test_since_and_next_are_marked():
    [d] = find_dates("since September 2015", SUNDAY)
    assert d.since
    [n] = find_dates("next Monday", SUNDAY)
    assert n.future
    assert find_dates("they may attack", SUNDAY) == []  # the verb, not the month


@pytest.mark.parametrize(("text", "value", "vague"), [
    ("nine", 9, False), ("Forty-three", 43, False), ("1,799", 1799, False),
    ("a dozen", 12, False), ("one hundred and five", 105, False), ("twenty one", 21, False),
    # ACLED: "tens" 10, "dozens" 12, "hundreds" 100.
    ("dozens", 12, True), ("tens", 10, True), ("hundreds of", 100, True),
    ("several", None, True), ("a few", None, True),
])
def test_numbers(text, value, vague):
    q = parse_quantity(text)
    assert (q.value, q.vague) == (value, vague)
    assert parse_quantity("Monday") is None


def test_figures_per_side_with_qualifiers():
    figs = find_figures("There were 35 pro-government forces killed, including at least nine "
                        "Russians.")
    assert [(f.qty.value, f.group.label, f.figure(), sorted(f.flags)) for f in figs] == [
        (35, "pro-government forces", (35, 35, 35), []),
        (9, "Russian", (9, 9, None), ["including"])]
    figs = find_figures("At least 26 Syrian and nine Russian soldiers were killed.")
    assert [(f.group.label, f.figure()) for f in figs] == [("Syrian", (26, 26, None)),
                                                          ("Russian", (9, 9, None))]
    [f] = find_figures("up to six Russian soldiers could have been killed in the attack")
    assert f.figure() == (None, None, 6)
    [f] = find_figures("The Ministry said the fighting left 43 militants dead.")
    assert (f.qty.value, f.group.label, f.kind) == (43, "militants", "killed")
    [f] = find_figures("four of its servicemen were killed", possessor="RU")
    assert f.group.label == "Russian"
    [k, w] = find_figures("A car bomb killed 12 civilians and wounded 30 others.")
    assert (k.kind, k.qty.value, w.kind, w.qty.value) == ("killed", 12, "wounded", 30)
    [f] = find_figures("dozens of rebel fighters have been killed")
    assert f.qty.vague and f.figure() == (12, 12, 12)
    assert find_figures("where at least 65 senior IS leaders live") == []


def test_one_person_as_the_object_of_the_verb():
    figs = find_figures("Jets struck the village, killing a man and injuring nine civilians.")
    assert [(f.kind, f.figure()) for f in figs] == [("killed", (1, 1, 1)), ("wounded", (9, 9, 9))]
    [f] = find_figures("Gunmen killed an SDF fighter in the town on Sunday.")
    assert (f.kind, f.qty.value) == ("killed", 1)
    assert find_figures("The army killed a number of fighters.")[0].qty.value is None

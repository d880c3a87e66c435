"""--explain agrees with the answer: the margin it shows over the rival decides the status, and
the reason and the explanation tell the same story (on the gazetteer the tests build)."""

from __future__ import annotations

import pytest

from gazetteer import Context
from gazetteer.ranking import WEIGHTS

NAMES = ["Palmyra", "Springfield", "Homs", "Aleppo", "Mosul", "Tripoli", "Alexandria",
         "Hajin", "Mare", "Paris", "Victoria", "Georgia", "Kurdish", "Tell Abyad", "Jordan",
         "Hama", "Sirte", "Cordoba", "Santiago", "Zambezi", "20 km west of Palmyra",
         "Deir ez-Zor province", "between Hajin and al-Susah", "Xqzwvbnm Kjhg"]
CONTEXTS = [None, Context(countries=("SY",)), Context(countries=("US",)),
            Context(cues=("IQ",)), Context(near=((36.2, 37.15),))]


@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: repr(c)[:40])
def test_the_margin_shown_decides_the_status(gz, ctx):
    seen_ambiguous = False
    for name in NAMES:
        r = gz.resolve(name, ctx)
        e = gz.explain(r)
        assert e["status"] == r.status and e["reason"] == r.reason
        if not e["ranked"]:
            assert r.match in ("demonym", "abbreviation", "online", None)
            continue
        if r.place is not None and r.relation is None:
            assert e["winner"]["id"] == r.place.uid, name
        if e["margin"] is None:
            continue
        need = e["margin_needed"]
        assert need in (WEIGHTS.margin_context, WEIGHTS.margin_no_context)
        if r.relation is None and r.status in ("resolved", "ambiguous"):
            assert (e["margin"] >= need) == (r.status == "resolved"), (name, e)
        if r.status == "ambiguous" and r.relation is None:  # a phrase says the phrase
            seen_ambiguous = True
            assert "context does not decide" in r.reason and e["rival"] is not None
        # the terms shown add up to the score
        w = e["winner"]
        assert sum(f["value"] for f in w["features"]) == pytest.approx(w["score"], abs=1e-3)
    if ctx is None:
        assert seen_ambiguous  # "Palmyra" alone is ambiguous: the check above ran


def test_a_runner_up_that_could_not_answer_is_said_so(gz):
    r = gz.resolve("Mare", Context(countries=("SY",)))
    e = gz.explain(r)
    assert e["winner"]["country"] == "SY"
    ru = e["runner_up"]
    assert ru is not None and ru["eligible"] is False and ru["excluded"] == "outside_focus"
    assert e["rival"] != ru["id"]


def test_every_score_term_names_its_weights() -> None:
    # --explain shows the weights behind each term: a term rank() adds without an entry in
    # FEATURE_WEIGHTS would be shown with none ("landmark_far_from_report" once was).
    import dataclasses
    import inspect
    import re

    from gazetteer import ranking

    src = inspect.getsource(ranking)
    terms = set(re.findall(r'append\(\("([a-z_0-9]+)"', src))
    assert {"anchor", "feature_name", "landmark_far_from_report"} <= terms
    fields = {f.name for f in dataclasses.fields(ranking.RankingWeights)}
    missing = sorted(t for t in terms if not ranking.FEATURE_WEIGHTS.get(t))
    assert missing == []
    assert {w for ws in ranking.FEATURE_WEIGHTS.values() for w in ws} <= fields


def test_a_place_given_by_its_document_is_explained_as_not_ranked() -> None:
    from gazetteer.model import Place, Resolution
    from gazetteer.ranking import explain

    p = Place(uid="x:1", name="Town", country="SY", admin1=None, lat=1.0, lon=2.0,
              kind="populated_place", precision=1)
    r = Resolution(query="Main Street", status="resolved", place=p, match="context")
    e = explain(r)
    assert e["ranked"] is False
    assert "placed by its document" in str(e["note"])

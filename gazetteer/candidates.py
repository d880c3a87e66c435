"""Candidate search: the places that bear a name, graded by how well their name matches.

The query's normalisation skeleton (see :mod:`gazetteer.normalize`) is looked up in the store;
each candidate is graded by the finest level at which one of its names equals the query (exact >
alias > normalised > variant).  Only when nothing matches does a fuzzy search (rapidfuzz, over the
index's skeletons of the same first two letters and a similar length) run; its answers are graded
``fuzzy``.  The lexicon (abbreviations, demonyms) answers words that are not names.
"""

from __future__ import annotations

from . import countryfacts, lexicon
from .lookup import Store
from .model import Resolution
from .normalize import fold, key, skeleton
from .ranking import WEIGHTS, Focus, Hit, RankingWeights

MAX_BLOCK_KEYS = 800_000  # distinct skeletons kept in memory for fuzzy matching
MAX_FUZZY_MEMO = 8192  # fuzzy answers (skeletons found) remembered


class CandidateSearch:
    def __init__(self, store: Store, weights: RankingWeights = WEIGHTS) -> None:
        self.store = store
        self.weights = weights
        self._blocks: dict[str, dict[int, list[str]]] = {}
        self._block_keys = 0
        self._blocks_overlays = 0  # overlays whose names the blocks hold
        self._fuzzy_memo: dict[tuple[str, float, int, int], tuple[tuple[str, float], ...]] = {}

    def hits(self, name: str) -> list[tuple[Hit, float]]:
        """Candidates sharing the query's skeleton, graded, with their importance."""
        sk = skeleton(name)
        q_fold, q_key = fold(name), key(name)
        match_score = self.weights.match_score
        place_of_row = self.store.place_of_row
        best: dict[int, tuple[Hit, float]] = {}
        for row in self.store.rows(sk):
            if row[16] == q_fold:
                level = "exact" if row[15] else "alias"
            elif row[17] == q_key:
                level = "normalised"
            else:
                level = "variant"
            prev = best.get(row[0])
            if prev is None or match_score[level] > match_score[prev[0].match]:
                best[row[0]] = (Hit(place_of_row(row), level, row[14], 100.0, row[16], row[17]),
                                row[13])
        out = list(best.values())
        for cp, nm in self.store.overlay.get(sk, ()):
            out.append((Hit(cp.place, "overlay", nm), 1.0))
        return out

    # ---------------------------------------------------------------- fuzzy
    def _block(self, prefix: str, lengths: range) -> dict[int, list[str]]:
        """The index's skeletons starting with ``prefix``, by length, holding at least the
        ``lengths`` asked for (cached, least recently used blocks dropped beyond
        MAX_BLOCK_KEYS).  The lengths not read before are read in one query, filtered inside
        SQLite: a fuzzy query wants five lengths, a small part of a prefix's skeletons, and
        the first query of a prefix does not pay for all of them."""
        if self._blocks_overlays != len(self.store.overlay_files):  # an overlay added since
            self._blocks.clear()
            self._block_keys = 0
            self._blocks_overlays = len(self.store.overlay_files)
        block = self._blocks.pop(prefix, None)
        if block is None:
            block = {}
        self._blocks[prefix] = block  # most recently used last
        todo = [n for n in lengths if n not in block]
        if not todo:
            return block
        got: dict[int, list[str]] = {n: [] for n in todo}
        stored = self.store.key_blocks(prefix, min(todo), max(todo)) if len(prefix) == 2 \
            else None
        if stored is not None:  # the index's blocks: the keys the scan below would read
            for n, keys in stored.items():
                if n in got:
                    got[n] = keys
        else:
            hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            for k in self.store.keys_between(prefix, hi, min(todo), max(todo)):
                if len(k) in got:
                    got[len(k)].append(k)
        for sk in self.store.overlay:
            if sk.startswith(prefix) and len(sk) in got:
                got[len(sk)].append(sk)
        size = sum(len(v) for v in got.values())
        while len(self._blocks) > 1 and self._block_keys + size > MAX_BLOCK_KEYS:
            oldest = next(iter(self._blocks))
            self._block_keys -= sum(len(v) for v in self._blocks.pop(oldest).values())
        block.update(got)
        self._block_keys += size
        return block

    def fuzzy_keys(self, name: str, cutoff: float, limit: int = 8) -> list[tuple[str, float]]:
        """The index's (and the overlays') skeletons nearest the name's, with their rapidfuzz
        ratio (at least ``cutoff``, at most ``limit``, best first).  Remembered per skeleton:
        a report's rounds and its phrases ask again for the same names (forgotten when an
        overlay is added, whose names take part)."""
        sk = skeleton(name)
        if len(sk) < 4:
            return []
        memo_key = (sk, cutoff, limit, len(self.store.overlay_files))
        found = self._fuzzy_memo.get(memo_key)
        if found is None:
            found = self._fuzzy_keys(sk, cutoff, limit)
            if len(self._fuzzy_memo) >= MAX_FUZZY_MEMO:
                self._fuzzy_memo.pop(next(iter(self._fuzzy_memo)))  # the oldest goes
            self._fuzzy_memo[memo_key] = found
        return list(found)

    def _fuzzy_keys(self, sk: str, cutoff: float, limit: int) -> tuple[tuple[str, float], ...]:
        from rapidfuzz import fuzz, process

        lengths = range(len(sk) - 2, len(sk) + 3)
        block = self._block(sk[:2], lengths)
        choices = [k for n in lengths for k in block.get(n, ())]
        found = process.extract(sk, choices, scorer=fuzz.ratio, processor=None,
                                score_cutoff=cutoff, limit=limit)
        return tuple((k, s) for k, s, _ in found)

    def fuzzy_hits(self, name: str, cutoff: float | None = None) -> list[tuple[Hit, float]]:
        out: list[tuple[Hit, float]] = []
        for k, sim in self.fuzzy_keys(name, self.weights.fuzzy_min if cutoff is None
                                      else cutoff):
            for hit, imp in self.hits_for_key(k):
                hit.match, hit.sim = "fuzzy", sim
                out.append((hit, imp))
        return out

    def hits_for_key(self, k: str) -> list[tuple[Hit, float]]:
        seen: dict[int, tuple[Hit, float]] = {}
        for row in self.store.key_rows(k):
            if row[0] not in seen:
                seen[row[0]] = (Hit(self.store.place_of_row(row), "fuzzy", row[14]), row[13])
        out = list(seen.values())
        for cp, nm in self.store.overlay.get(k, ()):
            out.append((Hit(cp.place, "fuzzy", nm), 1.0))
        return out

    def suggest(self, name: str, limit: int = 5, countries: frozenset[str] = frozenset()
                ) -> list[str]:
        """Names close to an unknown one, for "did you mean" messages; places in the focus
        countries first."""
        found: list[tuple[bool, float, str]] = []
        for k, sim in self.fuzzy_keys(name, self.weights.suggest_min, limit=limit * 4):
            for hit, _imp in self.hits_for_key(k)[:3]:
                p = hit.place
                label = f"{p.name} ({p.country})" if p.country else p.name
                found.append((p.country in countries, sim, label))
        out: list[str] = []
        for _, _, label in sorted(found, key=lambda t: (not t[0], -t[1], t[2])):
            if label not in out:
                out.append(label)
        return out[:limit]

    # ---------------------------------------------------------------- lexicon
    def lexicon(self, q: str, hits: list[tuple[Hit, float]], focus: Focus
                ) -> Resolution | None:
        """An abbreviation ("Fla.", "UAE"; two-letter codes only with their country in the
        context) or a demonym ("Syrian", "Kurdish") for its place, unless a notable place bears
        the word as its own name."""
        if not lexicon.may_be_word(q):
            return None
        w = self.weights
        ab = lexicon.abbreviation(q)
        if ab is not None and (not ab.needs_context or ab.country in focus.countries or any(
                countryfacts.km_outside(a, b, frozenset({ab.country})) == 0
                for a, b in focus.anchors)):
            p = self.store.place(ab.target)
            if p is not None:
                return Resolution(
                    query=q, status="resolved", place=p, match="abbreviation", matched_name=q,
                    confidence=w.abbreviation_confidence if not ab.needs_context
                    else w.abbreviation_context_confidence, precision=p.precision,
                    reason=f"{q!r}: {ab.note} for {p.name}")
        dm = lexicon.demonym(q)
        if dm is None:
            return None
        if any(h.match == "exact" and (h.place.kind in ("country", "admin1")
                                       or h.place.population >= w.notable_population
                                       or (not h.place.country and h.place.precision == 3))
               for h, _ in hits):
            return None
        if any(h.place.uid == dm[0] and h.match in ("exact", "alias") for h, _ in hits):
            return None  # the word is the place's own name ("Sinai"): a name, not an adjective
        p = self.store.place(dm[0])
        if p is None:
            return None
        return Resolution(
            query=q, status="resolved", place=p, match="demonym", matched_name=q,
            confidence=w.demonym_confidence, precision=p.precision,
            reason=f"{q!r} names the people or the adjective of {p.name} ({dm[1]}): taken for "
                   "the place, not a place spelled alike")

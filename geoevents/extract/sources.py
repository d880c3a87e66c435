"""Who says so: the source of a figure or a claim in a sentence.

"according to the Observatory", "the Russian ministry of defence said", "said Observatory head
Rami Abdel Rahman", "Moscow's Defense Ministry said", "citing a defence ministry statement",
"he told AFP" (the last source), "the ministry said" (the last ministry), "ISIS said in a
statement", "reports say".  Names are normalised ("Russian defence ministry", "Syrian
Observatory for Human Rights") so that the same source quoted by several outlets is one source.
People are tied to their organisation when the text says so ("SOHR head Rami Abdel Rahman").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon
from .fastre import guard_namespace


@dataclass(frozen=True, slots=True)
class SourceRef:
    name: str
    country: str = ""  # the country a ministry or official speaks for
    kind: str = ""  # monitor | ministry | official | media | actor | person | generic
    affiliated_with: str = ""  # the actor it speaks for (Aamaq -> Islamic State)
    begin: int = 0
    end: int = 0


_GENERIC_STEMS = ("official", "news", "media", "source", "activist", "resident", "witness",
                  "medic", "doctor", "police", "newspaper", "report", "monitor", "spokes",
                  "commander", "governor", "army", "military")
_PRONOUN = re.compile(r"\b(?P<p>he|she|it|they|the\s+(?:source|ministry|group|statement|"
                      r"agency|monitor|observatory|official|spokes(?:man|woman)))\b", re.I)
_KINDS = {"defense": "defence", "defence": "defence", "interior": "interior",
          "health": "health", "foreign": "foreign", "foreign affairs": "foreign"}
_ROLE = re.compile(r"\s+(?:head|chief|director|spokes(?:man|woman|person)|founder|official|"
                   r"commander|leader|representative)\s+(?P<person>(?:[A-Z][\w’'-]+\s+){0,3}"
                   r"[A-Z][\w’'-]+)")


def _country_word(word: str | None) -> str:
    if not word:
        return ""
    return lexicon.country_of(word) or ""


_WORD = re.compile(r"[a-z’']+")


class Attributor:
    """Keeps what a document has said so far (last source, last ministry, people and their
    organisations) to read pronouns and short forms."""

    def __init__(self, doc_text: str = "") -> None:
        self.last: SourceRef | None = None
        self.last_ministry: SourceRef | None = None
        self.people: dict[str, SourceRef] = {}
        self.sohr_in_doc = bool(re.search(r"Syrian\s+Observatory|SOHR", doc_text))

    # ------------------------------------------------------------------ mentions
    def mentions(self, text: str) -> list[SourceRef]:
        """Every source named in a sentence, in order (pronouns resolved)."""
        out: list[SourceRef] = []
        taken: list[tuple[int, int]] = []

        def add(ref: SourceRef) -> None:
            if any(ref.begin < e and b < ref.end for b, e in taken):
                return
            taken.append((ref.begin, ref.end))
            out.append(ref)

        low = text.lower()
        for m in (lexicon.MINISTRY.finditer(text) if "minist" in low else ()):
            kind = _KINDS.get(" ".join((m.group("k1") or m.group("k2") or "").lower().split()),
                              "defence")
            cc = _country_word(m.group("who"))
            if not cc:
                # "a defence ministry statement": the ministry already named, else the
                # nationality of whoever reports it ("Russian news agencies ... citing"), else
                # the nearest demonym.
                if self.last_ministry is not None:
                    cc = self.last_ministry.country
                else:
                    reporters = [lexicon.demonym_of(g.group("dem")) for g in
                                 lexicon.GENERIC_SOURCE.finditer(text) if g.group("dem")]
                    dems = [d for d in reporters if d] + [
                        lexicon.demonym_of(d.group(0)) for d in
                        lexicon.countries().demonym_re.finditer(text)
                        if d.group(0)[0].isupper()]
                    dems = [d for d in dems if d]
                    cc = dems[0] if dems else ""
            dem = lexicon.countries().demonym.get(cc, "")
            name = f"{dem} {kind} ministry".strip()
            add(SourceRef(name, cc, "ministry", "", m.start(), m.end()))
        words = frozenset(_WORD.findall(low))
        # No pattern matches before the first match of their alternation: each starts there.
        first = lexicon.SOURCE_ANY.search(text) if words & lexicon.SOURCE_WORDS else None
        if first is not None:
            for s, m in lexicon.known_source_matches(text, first.start()):
                add(SourceRef(s.name, "", "monitor" if s.monitor else "official",
                              s.affiliated_with, m.start(), m.end()))
        first = lexicon.ACTOR_ANY.search(text) if words & lexicon.ACTOR_WORDS else None
        if first is not None:
            for a, m in lexicon.named_actor_matches(text, first.start()):
                add(SourceRef(a.name, "", "actor", a.name, m.start(), m.end()))
        for person, ref in self.people.items():
            if person not in text:
                continue  # (the name as written, as the pattern below wants it)
            for m in re.finditer(rf"(?<!\w){re.escape(person)}(?!\w)", text):
                add(SourceRef(ref.name, ref.country, ref.kind, ref.affiliated_with, m.start(),
                              m.end()))
        generic = any(w in low for w in _GENERIC_STEMS)
        for m in (lexicon.GENERIC_SOURCE.finditer(text) if generic else ()):
            what = " ".join(m.group("what").split()).lower()
            dem = m.group("dem")
            cc = lexicon.demonym_of(dem) if dem else None
            if dem and not cc:
                dem = None
            pre = text[max(0, m.start() - 30):m.start("what")]
            if what in ("monitor", "war monitor"):
                name = "Syrian Observatory for Human Rights" if self.sohr_in_doc else "a monitor"
                add(SourceRef(name, "", "monitor", "", m.start(), m.end()))
                continue
            if what == "reports" and not dem:
                if re.search(r"\breports\s+(?:say|said|suggest)", text[m.start():m.end() + 12],
                             re.I):
                    add(SourceRef("unnamed reports", "", "generic", "", m.start(), m.end()))
                continue
            if what == "sources" and re.search(r"\bofficial\s+$", pre, re.I):
                what = "official sources"
            if what in ("army", "military") and not dem:
                continue
            local = "local " if re.search(r"\blocal\s+(?:\w+\s+)?$", pre, re.I) else ""
            label = f"{local}{lexicon.countries().demonym.get(cc, '') + ' ' if cc else ''}{what}"
            add(SourceRef(label.strip(), cc or "", "generic", "", m.start(), m.end()))
        for m in _PRONOUN.finditer(text):
            p = m.group("p").lower()
            ref = None
            if "ministry" in p:
                ref = self.last_ministry
            elif p in ("the observatory", "the monitor") and self.sohr_in_doc:
                ref = SourceRef("Syrian Observatory for Human Rights", "", "monitor")
            elif p in ("he", "she", "it", "they", "the source", "the statement", "the agency",
                       "the official", "the spokesman", "the spokeswoman"):
                # The nearest source named before it in the same sentence, else the last one.
                here = [r for r in out if r.end <= m.start() and r.kind != "actor"]
                ref = max(here, key=lambda r: r.end) if here else self.last
            if ref is not None:
                add(SourceRef(ref.name, ref.country, ref.kind, ref.affiliated_with, m.start(),
                              m.end()))
        out.sort(key=lambda r: r.begin)
        self._learn_people(text, out)
        return out

    def _learn_people(self, text: str, refs: list[SourceRef]) -> None:
        for ref in refs:
            if ref.kind in ("actor", "generic"):
                continue
            m = _ROLE.match(text[ref.end:])
            if m:
                person = m.group("person")
                self.people[person] = ref
                last = person.split()[-1]
                if len(last) > 3:
                    self.people.setdefault(last, ref)

    # ------------------------------------------------------------------ attribution
    def attribution(self, text: str, refs: list[SourceRef] | None = None) -> SourceRef | None:
        """The source a sentence attributes its content to, if any."""
        refs = self.mentions(text) if refs is None else refs
        if not refs:
            return None
        best: tuple[int, SourceRef] | None = None
        m = re.search(r"\bciting\s+", text, re.I)
        if m:
            after = [r for r in refs if r.begin >= m.end() - 1 and r.begin - m.end() < 25]
            if after:
                return self._remember(after[0])
        for m in re.finditer(r"\baccording\s+to\s+", text, re.I):
            after = [r for r in refs if 0 <= r.begin - m.end() < 25]
            if after:
                return self._remember(after[0])
        for v in lexicon.REPORTING.finditer(text):
            if v.group(0).lower() in ("citing", "according to"):
                continue
            for r in refs:
                if r.end <= v.start():
                    gap = text[r.end:v.start()]
                    words = len(gap.split())
                    # "SOHR head Rami Abdel Rahman said", "Moscow and a monitor said"
                    if words <= 6 and not re.search(r"[.;]", gap):
                        score = words
                    else:
                        continue
                elif r.begin >= v.end():
                    gap = text[v.end():r.begin]
                    if len(gap.split()) <= 3 and not re.search(r"[.;,]", gap):
                        score = len(gap.split()) + 1
                    else:
                        continue
                else:
                    continue
                if best is None or score < best[0]:
                    best = (score, r)
        if best is None:
            return None
        return self._remember(best[1])

    def _remember(self, ref: SourceRef) -> SourceRef:
        self.last = ref
        if ref.kind == "ministry":
            self.last_ministry = ref
        return ref


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())

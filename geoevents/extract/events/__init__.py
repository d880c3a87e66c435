"""From sentences to incidents: which sentences speak of which event, and what each adds.

A story is read sentence by sentence.  A sentence with an event word (attack, clash, shelling,
air strike, territorial change, ...) or a casualty figure either opens a new event or adds to one
already open: the one whose date and place it fits (its own date and place decide), the one it
refers to ("the attack", "Wednesday's attack"), or the one the sentence before it was about; it
opens its own when it says so ("the second bombing") or gives its own toll on its own date.
Tallies ("since 2015", "a total of", "in recent weeks"), hypotheticals and purposes ("to
prevent ...", "to recapture") and background ("since taking Palmyra") are not events.  A source
named in one sentence carries to the next sentences about the same event.

An event becomes an incident when it has a place finer than a country; an undated one is kept
with an unknown date and a note (not a plural pattern without a figure).  A roundup sentence's
places with their own figures become incidents of their own; superseded figures are noted,
not counted.  The rest is kept as context with the reason.

Modules, along the seams of the work:

- :mod:`.words`: the patterns sentences are read with (territorial change, revisions, tallies);
- :mod:`.analysis`: one sentence - event words, actors and their roles, dates and their roles,
  places, figures, sources and claims (:func:`analyse`);
- :mod:`.drafts`: the events a story is building (:class:`Draft`) and whether a sentence fits
  one;
- :mod:`.actors`: side A and B, each figure's side, the ACLED event type;
- :mod:`.story`: :class:`StoryReader` - sentences into drafts, drafts into incidents.
"""

from .analysis import Analysis, analyse
from .drafts import Draft
from .story import ContextItem, StoryReader, StoryResult

__all__ = ["Analysis", "ContextItem", "Draft", "StoryReader", "StoryResult", "analyse"]

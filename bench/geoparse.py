"""What the geoparsing evaluations share: where the gold files are, the Natural Earth set-up and
the error measures of Gritta et al. ("What's missing in geographical parsing?", 2018).

Accuracy within 161 km (100 miles), mean and median error in km, and the AUC of the curve of
sorted log(1 + error km), normalised by log(20039) (trapezoid rule over the n errors, divided by
n - 1; 0 is perfect, lower is better).  An unanswered mention gets the maximum error, 20,039 km
(half the Earth's circumference).
"""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_KM = 20039.0
NE_LAYERS = ["admin1_label_points", "populated_places", "rivers", "lakes"]


def shared_file(*parts: str) -> Path:
    """A file of ../shared (beside the repository), or of $GEOEVENTS_SHARED when set."""
    base = os.environ.get("GEOEVENTS_SHARED")
    return (Path(base) if base else ROOT.parent / "shared").joinpath(*parts)


def use_naturalearth(folder: str | None, default_home: str) -> None:
    """With ``folder``: install the Natural Earth layers from it into a separate home
    (``<GEOEVENTS_HOME>-ne``), so the index includes their areas, places, rivers and lakes."""
    if not folder:
        return
    home = os.environ.get("GEOEVENTS_HOME") or default_home
    os.environ["GEOEVENTS_HOME"] = home + "-ne"
    from gazetteer import naturalearth

    naturalearth.install_from_dir(folder, NE_LAYERS)


def auc(errors_km: list[float]) -> float:
    ks = [math.log(1 + e) for e in sorted(errors_km)]
    if len(ks) < 2:
        return 0.0
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ks))
    return area / ((len(ks) - 1) * math.log(MAX_KM))

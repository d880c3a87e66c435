"""Options and set-up shared by several commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gazetteer import Gazetteer

    from ..config import Config


def add_gazetteer_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("gazetteer")
    g.add_argument("--index", metavar="PATH", type=Path,
                   help="gazetteer index file (default: $GEOEVENTS_INDEX, "
                   "$GEOEVENTS_HOME/gazetteer.sqlite or the user cache folder)")
    g.add_argument("--overlay", metavar="FILE", type=Path, action="append", default=[],
                   help="your own places (YAML or CSV, see data/gazetteer/places.yaml); their "
                   "rows win; repeatable")
    g.add_argument("--config", metavar="FILE", type=Path,
                   help="configuration file (default: $GEOEVENTS_CONFIG or the user config "
                   "folder's geoevents/config.toml)")
    g.add_argument("--points", choices=("reference", "centroid"), default="reference",
                   help="point of an area (country, province): 'reference', the point "
                   "gazetteers publish (GeoNames and most geoparsing gold standards), or "
                   "'centroid', the middle of its main territory (encyclopaedias); default "
                   "reference. Either way the answer carries the area's bbox and centroid")


def load_config(args: argparse.Namespace) -> Config:
    from ..config import load

    return load(getattr(args, "config", None))


def open_gazetteer(args: argparse.Namespace, cfg: Config | None = None) -> Gazetteer:
    from gazetteer import Gazetteer

    cfg = cfg or load_config(args)
    index = args.index or cfg.index
    overlays = [*cfg.overlays, *args.overlay]
    online = None
    wanted = getattr(args, "online", False) or bool(cfg.online.get("enabled", False))
    if wanted and not getattr(args, "offline", False):
        from gazetteer.online import OnlineFallback, OnlineSettings

        online = OnlineFallback(OnlineSettings.from_config(cfg.online, enabled=True))
    return Gazetteer(index, overlays=overlays, verbose=None if sys.stderr.isatty() else False,
                     online=online, points=getattr(args, "points", None) or "reference")


def progress(iterable, *, total: int | None = None, desc: str = "", unit: str = " items"):
    """A progress bar on a terminal; the bare iterable when stderr is piped."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)

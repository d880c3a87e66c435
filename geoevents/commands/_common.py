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
                   help="configuration file (default: $GEOEVENTS_CONFIG, "
                   "$GEOEVENTS_HOME/config.toml or the user config folder's "
                   "geoevents/config.toml; see docs/gazetteer.md)")
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


def usage(p: argparse.ArgumentParser) -> int:
    """A command group run without its subcommand: its help on stderr, exit 2."""
    p.print_help(sys.stderr)
    return 2


class LazyGazetteer:
    """Opens the gazetteer only when a place has to be resolved by name (building a river
    line or areas from coordinates needs no index)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._gz = None

    def __getattr__(self, name: str):
        if self._gz is None:
            self._gz = open_gazetteer(self._args)
        return getattr(self._gz, name)

    def close(self) -> None:
        if self._gz is not None:
            self._gz.close()


def progress(iterable, *, total: int | None = None, desc: str = "", unit: str = " items"):
    """A progress bar on a terminal; the bare iterable when stderr is piped."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)


# --- outputs: one rule for every command that writes (maps.writers) ----------------------------

def add_overwrite_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--overwrite", action="store_true",
                   help="replace output files that exist (never an input of the command)")


#: Arguments that name files a command reads (none of them may be an output).
_INPUT_ARGS = ("inputs", "articles", "specs", "incidents", "lines", "meta", "overlay", "config",
               "index", "file", "files")


def input_files(args: argparse.Namespace) -> list[Path]:
    """Every file the command's arguments name as something to read."""
    out: list[Path] = []
    for name in _INPUT_ARGS:
        v = getattr(args, name, None)
        for item in v if isinstance(v, list | tuple) else [v]:
            if isinstance(item, str | Path) and str(item) not in ("", "-"):
                out.append(Path(item))
    return out


def check_outputs(args: argparse.Namespace, outputs: dict[str, Path | None], *,
                  what: str = "file") -> list[Path]:
    """Check the outputs of a command before it reads anything: each output's extension is
    one of the formats ``maps.writers.COMMAND_FORMATS[key]`` names, no output is an input,
    none exists unless --overwrite.  ``outputs``: command key -> path (None: not asked for).
    Returns the paths; raises OutputError (a UserError)."""
    from maps.writers import check, format_for

    paths = []
    for key, path in outputs.items():
        if path is None:
            continue
        format_for(key, path, None)
        paths.append(Path(path))
    check(paths, overwrite=getattr(args, "overwrite", False), inputs=input_files(args),
          what=what)
    return paths


def staged_outputs(args: argparse.Namespace, paths: list[Path], *, what: str = "file"):
    """A :class:`maps.writers.Staged` for ``paths`` with the command's --overwrite and inputs:
    ``with staged_outputs(args, [out]) as st: st.write(out, data)``."""
    from maps.writers import Staged

    return Staged(paths, overwrite=getattr(args, "overwrite", False), inputs=input_files(args),
                  what=what)

"""``geoevents data``: install and list reference data (Natural Earth layers)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._common import usage

HELP = "install and list reference data (Natural Earth rivers, lakes, countries)"
DESCRIPTION = """\
Reference geography that some features need: control lines along rivers need Natural Earth's
rivers layer, zones clipped to a country need its countries layer, zones clipped to a province
its admin-1 layer.  Everything else works without them.

  geoevents data install naturalearth               download from Natural Earth (pooch; cached)
  geoevents data install naturalearth --from DIR    install from files on disk (no network)
  geoevents data install naturalearth --else-from DIR --optional
                                                    download; if that fails, install from DIR;
                                                    if that fails too, say so and go on (exit 0)
  geoevents data list                               what is installed, with checksums

Files go to $GEOEVENTS_HOME/data/naturalearth (or the user data folder) with a manifest
recording each file's source and SHA-256.

Offline, a download fails within seconds with a message naming `--from DIR`.  Without Natural
Earth, maps are drawn on a plain background and say which command adds the basemap.

exit status: 0 done (or, with --optional, nothing installed and said so), 1 some layers missing
from --from DIR (optional ones aside), 2 usage, download or input error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("data", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION")
    from gazetteer.naturalearth import BASE_URL, BASE_URL_ENV, LAYERS

    inst = dsub.add_parser("install", help="install a dataset (naturalearth)",
                           description="Install Natural Earth 10 m layers: "
                           + ", ".join(f"{k} ({v['stem']})" for k, v in LAYERS.items()) + ".")
    inst.add_argument("dataset", choices=["naturalearth", "geonames"],
                      help="the dataset to install (geonames: give country codes)")
    inst.add_argument("codes", nargs="*", metavar="CC",
                      help="geonames: ISO country codes (SY IQ ...) whose GeoNames dumps to "
                      "download and import into the gazetteer index")
    inst.add_argument("--from", dest="from_dir", metavar="DIR", type=Path,
                      help="install from a local folder holding the Natural Earth files "
                      "(<name>.zip as downloaded, or .geojson/.gpkg) instead of downloading")
    inst.add_argument("--else-from", dest="else_from", metavar="DIR", type=Path,
                      help="download, and if the download fails (no network), install from "
                      "this local folder instead")
    inst.add_argument("--optional", action="store_true",
                      help="if nothing could be installed, say so and exit 0: geoevents works "
                      "without Natural Earth (maps get a plain background)")
    inst.add_argument("--layers", metavar="LAYER,...",
                      help=f"only these layers (default: all): {', '.join(LAYERS)}")
    inst.add_argument("--url", metavar="BASE",
                      help=f"download base address (default: ${BASE_URL_ENV} or {BASE_URL})")
    inst.add_argument("--refresh", action="store_true",
                      help="download again even when the installed file is intact")
    inst.set_defaults(run=run_install)
    lst = dsub.add_parser("list", help="list installed reference data with checksums")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(run=run_list)
    p.set_defaults(run=lambda args: usage(p))



def _layers(value: str | None) -> list[str] | None:
    from gazetteer import InputError
    from gazetteer.naturalearth import LAYERS

    if not value:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in LAYERS]
    if bad:
        raise InputError(f"--layers: unknown layer(s) {', '.join(bad)}; known: "
                         f"{', '.join(LAYERS)}")
    return names


def run_install(args: argparse.Namespace) -> int:
    from gazetteer import GazetteerError
    from gazetteer import naturalearth as ne

    if args.dataset == "geonames":
        from .gazetteer import install_geonames

        return install_geonames(args)
    if args.codes:
        print("geoevents data install: country codes apply to geonames, not naturalearth",
              file=sys.stderr)
        return 2

    layers = _layers(args.layers)
    wanted = layers or list(ne.LAYERS)
    if args.from_dir is not None and (args.url or args.refresh or args.else_from):
        print("geoevents data install: --url, --refresh and --else-from apply to downloads, "
              "not --from", file=sys.stderr)
        return 2
    folder = args.from_dir
    try:
        if args.from_dir is not None:
            man = ne.install_from_dir(args.from_dir, layers)
        else:
            try:
                man = ne.install(layers, base=args.url, refresh=args.refresh,
                                 progress=sys.stderr.isatty())
            except GazetteerError as exc:
                if args.else_from is None:
                    raise
                print(f"geoevents data install: {exc}", file=sys.stderr)
                print(f"geoevents data install: installing from {args.else_from} instead "
                      "(--else-from)", file=sys.stderr)
                folder = args.else_from
                man = ne.install_from_dir(args.else_from, layers)
    except GazetteerError as exc:
        if not args.optional:
            raise
        print(f"geoevents data install: {exc}", file=sys.stderr)
        print("geoevents data install: Natural Earth is not installed (--optional): geoevents "
              "works without it and maps are drawn on a plain background; add the basemap later "
              "with `geoevents data install naturalearth` (or `--from DIR` with the files on "
              "disk)", file=sys.stderr)
        return 0
    if folder is not None:
        done = [k for k in wanted if ne.source_file(folder, k) is not None]
    else:
        done = [k for k in wanted if k in man]
    missing = [k for k in wanted if k not in done]
    skipped = [] if layers else [k for k in missing if k in ne.OPTIONAL]
    missing = [k for k in missing if k not in skipped]
    for k in done:
        e = man[k]
        print(f"installed {k:<20} {e['file']}  sha256 {e['sha256'][:16]}  "
              f"{e.get('features', '?')} features", file=sys.stderr)
    for k in skipped:
        where = (f"{ne.LAYERS[k]['stem']} is not in {folder}" if folder is not None else
                 f"not downloaded: {ne.skipped_downloads.get(k, 'unavailable')}")
        print(f"skipped   {k:<20} (optional, needed only for {ne.OPTIONAL[k]}; {where})",
              file=sys.stderr)
    for k in missing:
        print(f"not found {k:<20} ({ne.LAYERS[k]['stem']} is not in {folder})",
              file=sys.stderr)
    print(f"Natural Earth layers are in {ne.folder()}", file=sys.stderr)
    return 1 if missing else 0


def run_list(args: argparse.Namespace) -> int:
    from gazetteer import naturalearth as ne

    rows = ne.status()
    if args.json:
        print(json.dumps({"folder": str(ne.folder()), "layers": rows}, indent=2,
                         ensure_ascii=False))
        return 0
    print(f"Natural Earth layers in {ne.folder()}")
    print(f"{'LAYER':<20} {'STATE':<13} {'FEATURES':>8} {'SIZE':>10}  {'SHA256':<16}  SOURCE")
    for r in rows:
        size = f"{r['size'] / 1e6:.1f} MB" if r["size"] else ""
        feats = str(r["features"]) if r["features"] is not None else ""
        print(f"{r['layer']:<20} {r['state']:<13} {feats:>8} {size:>10}  "
              f"{r['sha256'][:16]:<16}  {r['source']}")
    bad = [r["layer"] for r in rows if r["state"] in ("missing", "changed")]
    if bad:
        print(f"damaged: {', '.join(bad)}; reinstall with `geoevents data install naturalearth "
              f"--layers {','.join(bad)}`", file=sys.stderr)
        return 1
    return 0

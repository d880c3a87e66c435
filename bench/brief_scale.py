"""``geoevents brief`` at scale: a briefing (interactive map, static image, table) of 200,000
synthetic incidents.  Goal (issue 17 item 10): under 20 s and 1 GB.

Reports the time of each part and the peak memory (resident set, from the OS) of the process.

    python bench/brief_scale.py                 # 200,000 incidents
    python bench/brief_scale.py --size 50000

Synthetic incidents: tests/mapdata.py ``synthetic_rows`` (Syria/Iraq, 2017-2019, one or two
sources each with a URL and a quote).  The frame is built before the clock starts.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=200_000)
    args = ap.parse_args()
    import maps
    from tests import mapdata

    frame = mapdata.incidents_frame(mapdata.synthetic_rows(args.size))
    base_mb = peak_mb()
    t0 = time.perf_counter()
    page = maps.render_brief(frame, title="Benchmark briefing")
    dt = time.perf_counter() - t0
    print(f"{args.size:,} incidents: brief {dt:.1f} s, {len(page) / 1e6:.1f} MB, "
          f"peak memory {peak_mb():,.0f} MB (frame built: {base_mb:,.0f} MB)")
    return 0 if dt < 20 and peak_mb() < 1024 else 1


if __name__ == "__main__":
    sys.exit(main())

"""GDELT events (1.0: 57 or 58 columns; 2.0: 61 columns; tab-separated, no header, often
zipped daily or 15-minute files) read as incidents, streamed in blocks so that a file of any
size is read in constant memory (only the incidents kept are held).

Each event becomes an incident at its ActionGeo (where the action took place): the CAMEO
event code gives the ACLED event type (see :data:`maps.layouts.CAMEO_TO_ACLED`), ActionGeo_Type
the geo precision (a city 1, a state or a country 3), the FIPS country code the ISO one.
``ReadOptions.quad_classes`` (``--quad-class 4``: material conflict) and ``root_codes``
(``--root-code 18,19,20``) keep only those events; the others are counted as left out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, BinaryIO

from gazetteer import InputError

from ..model import Rejection

_HEAD = re.compile(rb"^\d+\t\d{8}\t")


def is_gdelt_head(head: bytes) -> bool:
    """The first line of a GDELT events file: a numeric id, a YYYYMMDD date, then 57, 58 or 61
    tab-separated fields."""
    from maps.layouts import GDELT_LAYOUTS

    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return bool(_HEAD.match(first)) and first.count(b"\t") + 1 in GDELT_LAYOUTS


def read_gdelt(path: Path, opts: Any) -> Any:
    with open(path, "rb") as fh:
        return read_gdelt_stream(fh, str(path), opts)


class _Utf8Stream(io.RawIOBase):
    """A byte stream passed on as valid UTF-8: bytes that are not (a file cut in the middle of
    a character, a line in another encoding) become U+FFFD and are counted."""

    def __init__(self, raw: BinaryIO) -> None:
        import codecs

        self.raw, self.replaced, self._buf = raw, 0, b""
        self._dec = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while len(self._buf) < len(b):
            chunk = self.raw.read(max(len(b), 1 << 20))
            text = self._dec.decode(chunk, final=not chunk)
            if "\ufffd" in text:
                self.replaced += text.count("\ufffd")
            self._buf += text.encode("utf-8")
            if not chunk:
                break
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def iter_gdelt(fh: BinaryIO, file: str, opts: Any, block_size: int = 1 << 24,
               warnings: list[str] | None = None):
    """(frame, rejections, rows, left_out) for each block of a GDELT events stream."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from maps.layouts import GDELT_LAYOUTS

    head = fh.read(65536)
    fh.seek(0)
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    ncols = first.count(b"\t") + 1
    names = list(GDELT_LAYOUTS[ncols])
    bad: list[tuple[int | None, str, int]] = []

    def on_bad(row) -> str:
        bad.append((row.number, row.text, row.actual_columns))
        return "skip"

    stream = _Utf8Stream(fh)
    try:
        reader = pacsv.open_csv(
            io.BufferedReader(stream, 1 << 20), read_options=pacsv.ReadOptions(column_names=names, block_size=block_size,
                                               use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False,
                                             invalid_row_handler=on_bad),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names}, strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read as GDELT events: {exc}", file=file) from None
    from .core import _to_frame

    seen = 0  # data rows (read or skipped) before this block
    good = 0  # rows read (not skipped) before this block
    skipped_lines: list[int] = []
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:  # e.g. text that is not UTF-8
            raise InputError(f"cannot be read as GDELT events after line {seen}: {exc}",
                             file=file) from None
        rejections = []
        for number, text, actual in bad:
            skipped_lines.append(number if number is not None else seen + 1)
            rejections.append(Rejection(file, number, None, f"{actual} field(s) where GDELT "
                                        f"has {ncols}; the row was skipped", text[:200]))
        n_bad = len(bad)
        bad.clear()
        df = batch.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
        rows = len(df) + n_bad
        keep = _filter(df, opts)
        left_out = int((~keep).sum())
        base = good
        # Line of each row of the block: rows so far + its position + the skipped lines before.
        positions = keep[keep].index if left_out else None
        df = df[keep.to_numpy()] if left_out else df
        sk = sorted(skipped_lines)

        def lines(i: int, base=base, positions=positions, sk=sk) -> int:
            import bisect

            n = base + (int(positions[i]) if positions is not None else i) + 1
            k = bisect.bisect_right(sk, n)
            while bisect.bisect_right(sk, n + k) != k:
                k = bisect.bisect_right(sk, n + k)
            return n + k

        frame, rej = _to_frame(df.reset_index(drop=True), "gdelt", file, lines, opts)
        seen += rows
        good += rows - n_bad
        yield frame, rejections + rej, rows, left_out
    if stream.replaced and warnings is not None:
        warnings.append(f"{file}: {stream.replaced} byte(s) are not UTF-8 (a file cut in the "
                        "middle of a character, or text in another encoding); they were read "
                        "as \ufffd")


def _filter(df, opts: Any):
    import pandas as pd

    keep = pd.Series(True, index=df.index)
    if opts.quad_classes:
        keep &= df["QuadClass"].str.strip().isin([str(q) for q in opts.quad_classes])
    if opts.root_codes:
        roots = [str(r).strip().zfill(2) for r in opts.root_codes]
        keep &= df["EventRootCode"].str.strip().str.zfill(2).isin(roots)
    return keep.fillna(False).astype(bool)


def read_gdelt_stream(fh: BinaryIO, file: str, opts: Any) -> Any:
    import geopandas as gpd
    import pandas as pd

    from .core import TableRead

    frames, rejections = [], []
    warnings: list[str] = []
    rows = left_out = 0
    for frame, rej, n, lo in iter_gdelt(fh, file, opts, warnings=warnings):
        if len(frame):
            frames.append(frame)
        rejections.extend(rej)
        rows += n
        left_out += lo
    if frames:
        out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    else:
        from .core import _to_frame

        out, _ = _to_frame(pd.DataFrame(columns=["GLOBALEVENTID"]), "gdelt", file, None, opts)
    return TableRead(out, "gdelt", rejections, warnings, rows, left_out)

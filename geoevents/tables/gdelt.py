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


def _line_blocks(fh: BinaryIO, block_size: int, warnings_: list[int]):
    """The stream's bytes in blocks of whole lines, about ``block_size`` each, read one at a
    time (so that only one block is held: Arrow's own streaming reader reads many blocks
    ahead, hundreds of MB of a large file).  GDELT has no quoted values, so a line is a row and
    a block can end at any line break.  Bytes that are not UTF-8 (a file cut in the middle of
    a character, a line in another encoding) become U+FFFD; their number is added to
    ``warnings_[0]``."""
    rest = b""
    while True:
        chunk = fh.read(block_size)
        data = rest + chunk if rest else chunk
        if not chunk:
            if data:
                yield _utf8(data, warnings_)
            return
        cut = data.rfind(b"\n")
        if cut < 0:  # a line longer than a block: read on
            rest = data
            continue
        rest = data[cut + 1:]
        yield _utf8(data[:cut + 1], warnings_)


def _utf8(data: bytes, warnings_: list[int]) -> bytes:
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings_[0] += text.count("\ufffd") - data.count("\ufffd".encode())
        return text.encode("utf-8")


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

    read_options = pacsv.ReadOptions(column_names=names, use_threads=False,
                                     block_size=max(block_size * 2, 1 << 20))
    parse_options = pacsv.ParseOptions(delimiter="\t", quote_char=False,
                                       invalid_row_handler=on_bad)
    convert_options = pacsv.ConvertOptions(column_types={c: pa.large_string() for c in names},
                                           strings_can_be_null=False)
    from .core import _to_frame

    replaced = [0]
    seen = 0  # data rows (read or skipped) before this block
    good = 0  # rows read (not skipped) before this block
    lines_before = 0  # lines of the file before this block
    skipped_lines: list[int] = []
    for block in _line_blocks(fh, block_size, replaced):
        try:
            batch = pacsv.read_csv(io.BytesIO(block), read_options=read_options,
                                   parse_options=parse_options,
                                   convert_options=convert_options)
        except pa.ArrowInvalid as exc:
            raise InputError(f"cannot be read as GDELT events after line {lines_before}: "
                             f"{exc}", file=file) from None
        rejections = []
        for number, text, actual in bad:
            line = lines_before + number if number is not None else seen + 1
            skipped_lines.append(line)
            rejections.append(Rejection(file, line, None, f"{actual} field(s) where GDELT "
                                        f"has {ncols}; the row was skipped", text[:200]))
        n_bad = len(bad)
        bad.clear()
        lines_before += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
        df = batch.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
        del batch
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
    if replaced[0] and warnings is not None:
        warnings.append(f"{file}: {replaced[0]} byte(s) are not UTF-8 (a file cut in the "
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

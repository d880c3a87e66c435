"""Reading text files as people have them: UTF-8 (with or without BOM), UTF-16, legacy code pages,
and files whose lines mix UTF-8 with Windows-1252 (text pasted from several places).

:func:`decode` never guesses silently: every line not read as UTF-8 is named in a warning.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from gazetteer import InputError

#: Files starting with these bytes are not text.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b",
                 b"SQLite format 3", b"\x7fELF", b"BZh", b"\xfd7zXZ")


def _ranges(lines: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9' (at most 10 items shown)."""
    parts: list[str] = []
    start = prev = None
    for n in lines:
        if start is None:
            start = prev = n
        elif n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            parts.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else str(start))
    more = f" and {len(parts) - 10} more" if len(parts) > 10 else ""
    return ", ".join(parts[:10]) + more


def check_binary(data: bytes, file: str) -> None:
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        raise InputError("a binary file (PDF, archive, image or database), not text", file=file)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        if head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3:
            return
        raise InputError("a binary file (it contains NUL bytes), not text", file=file)


def decode(data: bytes, file: str = "<input>") -> tuple[str, list[str]]:
    """Bytes to text, and warnings for anything not read as UTF-8.  Raises InputError for an
    empty or binary file."""
    if not data.strip():
        raise InputError("empty file" if not data else "the file holds only white space",
                         file=file)
    check_binary(data, file)
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError:  # cut in the middle of a character: a truncated file
            return data.decode("utf-16", errors="replace"), [
                f"{file}: UTF-16 text that ends in the middle of a character (a truncated "
                "file?); the broken characters were replaced"]
    elif b"\x00" in data[:4096]:
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(enc), [f"{file}: UTF-16 without a byte-order mark, read as {enc}"]
        except UnicodeDecodeError:
            raise InputError("not text in a known encoding", file=file) from None
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    bad: list[int] = []
    for i, raw in enumerate(lines):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    legacy = _guess_legacy(b"\n".join(lines[i] for i in bad[:2000]))
    if len(bad) == len(lines):
        text = data.decode(legacy, errors="replace")
        warnings.append(f"{file}: not UTF-8; read as {legacy} (guessed from the bytes)")
        return text, warnings
    out = []
    bad_set = set(bad)
    for i, raw in enumerate(lines):
        out.append(raw.decode(legacy, errors="replace") if i in bad_set else raw.decode("utf-8"))
    warnings.append(f"{file}: mixed encodings: line(s) {_ranges([i + 1 for i in bad])} are not "
                    f"UTF-8 and were read as {legacy}")
    return "\n".join(out), warnings


def _guess_legacy(sample: bytes) -> str:
    """The most likely single-byte code page of some non-UTF-8 bytes.  Western text has its
    non-ASCII bytes one at a time between ASCII letters (curly quotes, accents): Windows-1252.
    Runs of them are words of another script: the code page under which they read as letters of
    one script, Arabic first (the reporting this tool reads), then Cyrillic, Hebrew, Greek,
    Turkish."""
    import re
    import unicodedata

    runs = re.findall(rb"[\x80-\xff]+", sample)
    if max((len(r) for r in runs), default=0) < 3:
        return "cp1252"
    words = b" ".join(r for r in runs if len(r) >= 2)[:20000]
    best, best_score = "cp1252", 0.0
    for enc in ("cp1256", "cp1251", "cp1255", "cp1253", "cp1254", "cp1252"):
        text = words.decode(enc, errors="replace")
        letters = [c for c in text if c not in " \ufffd"]
        if not letters:
            continue
        scripts: dict[str, int] = {}
        for c in letters:
            if unicodedata.category(c).startswith("L"):
                script = unicodedata.name(c, "? ?").split()[0]
                scripts[script] = scripts.get(script, 0) + 1
        score = max(scripts.values(), default=0) / len(letters)
        if score > best_score + 0.05:
            best, best_score = enc, score
    return best


def read_text(path: str | Path, *, max_bytes: int | None = None,
              what: str = "file") -> tuple[str, list[str]]:
    """Read and decode a text file (see :func:`decode`); InputError for missing, too large,
    empty or binary files."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("is a folder, not a file", file=str(p))
    size = p.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"too large for an {what} ({size / 1e6:.1f} MB; at most "
                         f"{max_bytes / 1e6:.0f} MB) - is it really an {what}?", file=str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=str(p)) from None
    return decode(data, str(p))

"""Errors the gazetteer reports to people: each says what is wrong and where."""

from __future__ import annotations


class GazetteerError(Exception):
    """Base class: a problem the user can act on (the command line prints it, no traceback)."""


class InputError(GazetteerError, ValueError):
    """A query or input file that cannot be used as it is."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.file, self.line, self.field = file, line, field
        where = ":".join(str(x) for x in (file, line) if x is not None)
        prefix = f"{where}: " if where else ""
        if field:
            prefix += f"field '{field}': "
        super().__init__(prefix + message)


class IndexBuildError(GazetteerError):
    """The on-disk index is missing, broken or stale and could not be rebuilt."""

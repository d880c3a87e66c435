"""Errors reported to people: each says what is wrong and where.

:class:`UserError` is the one base of every error a person can act on, in all three packages
(``gazetteer``, ``maps``, ``geoevents``): the command line catches it once and prints its
:attr:`~UserError.message`, with no traceback.  It lives here, in the package every other one
imports, so that no package imports upwards to find it.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on (a bad file, name, value or option).

    ``message`` is the whole text to show ("data.csv:3: field 'lat': ..."), plain, without the
    program's name.  Subclasses may keep structured parts (``file``, ``line``, ``field``...)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class GazetteerError(UserError):
    """A problem of the gazetteer (a query, an overlay, the index)."""


class InputError(GazetteerError, ValueError):
    """A query or input file that cannot be used as it is."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.file, self.line, self.field = file, line, field
        self.reason = message
        where = ":".join(str(x) for x in (file, line) if x is not None)
        prefix = f"{where}: " if where else ""
        if field:
            prefix += f"field '{field}': "
        super().__init__(prefix + message)


class IndexBuildError(GazetteerError):
    """The on-disk index is missing, broken or stale and could not be rebuilt."""

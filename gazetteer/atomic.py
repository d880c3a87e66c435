"""The one way geoevents writes a file: whole or not at all, never over what it should not.

Every command that writes (``map``, ``brief``, ``export``, ``extract -o``, ``lines build``,
``lines sides``, ``areas``, the stores) and the gazetteer's files (the index, Natural Earth
layers, manifests) go through :class:`Staged` (``archive build``'s folder through
:class:`StagedFolder`):

- the targets are checked first, so a refused write creates nothing: the folder exists and is a
  folder, a target is not a folder, not one of the command's inputs (``map in.csv -o in.csv``),
  and exists only when ``overwrite`` is given;
- each target is written to a temporary file in its own folder (``.NAME.PID.RANDOM.part.EXT``;
  the same file system, so the rename is atomic), flushed to disk (``fsync``) and renamed into
  place; the folder is synced after;
- without ``overwrite`` the final name is created exclusively (a hard link, which fails when the
  name exists), so of two writers racing for one path exactly one succeeds and the other says
  the file exists -- neither result is lost silently;
- on an error, Ctrl-C (SIGINT) or SIGTERM the temporary files are removed; files left by a
  process killed outright (SIGKILL, power loss) are removed by the next write to the same target
  once their process is gone;
- a full disk, a read-only file system or a missing permission is an :class:`OutputError` (a
  :class:`~gazetteer.errors.UserError`) naming the file, never a traceback.

:class:`StagedFolder` is the same for a folder (the archive's dataset).  It lives in
``gazetteer``, the package every other one imports, because the gazetteer's own files (the
index, the Natural Earth layers and manifests, GeoNames imports) are written this way too and
``gazetteer`` imports nothing above it; :mod:`maps.writers` adds the table of formats and
re-exports it.  No other module renames a file into place or makes a temporary file for an
output (``tests/test_architecture.py`` checks it).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import UserError


class OutputError(UserError):
    """An output that cannot be written as asked (existing file, an input, bad folder, disk
    full, no permission)."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EFBIG: "the file is too large for this file system",
}


def reason(exc: BaseException) -> str:
    """A short human reason for an OSError (or a GDAL/SQLite error that wraps one)."""
    if isinstance(exc, OSError) and exc.errno in _REASONS:
        return _REASONS[exc.errno]
    text = str(exc)
    low = text.lower()
    if "no space left" in low or "disk is full" in low or "disk full" in low:
        return _REASONS[errno.ENOSPC]
    if "permission denied" in low:
        return _REASONS[errno.EACCES]
    if "read-only file system" in low:
        return _REASONS[errno.EROFS]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return text


def is_disk_error(exc: BaseException) -> bool:
    """True for errors of the disk or the file system (not of the data being written)."""
    if isinstance(exc, OSError) and exc.errno in _REASONS:
        return True
    return reason(exc) in (_REASONS[errno.ENOSPC], _REASONS[errno.EACCES],
                           _REASONS[errno.EROFS])


def disk_full(folder: Path, margin: int = 1 << 20) -> bool:
    """True when the file system of ``folder`` has less than ``margin`` bytes free (asked after
    a writer failed: SQLite and GDAL often report a full disk as something else)."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < margin


# --- temporary files of this process, removed on SIGINT/SIGTERM and at exit -------------------

_LIVE: set[Path] = set()
_LOCK = threading.Lock()
_HANDLED: dict[int, Any] = {}


def _remove(temp: Path) -> None:
    if temp.is_dir() and not temp.is_symlink():  # a staged folder (StagedFolder)
        import shutil

        shutil.rmtree(temp, ignore_errors=True)
        return
    for p in (temp, Path(f"{temp}-journal"), Path(f"{temp}-wal"), Path(f"{temp}-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def _remove_all() -> None:
    with _LOCK:
        live = list(_LIVE)
        _LIVE.clear()
    for t in live:
        _remove(t)


def _on_signal(signum: int, frame: Any) -> None:
    _remove_all()
    previous = _HANDLED.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    # Die of the signal as if we had not caught it (the exit status says so).
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
        if sig is None or sig in _HANDLED:
            continue
        try:
            current = signal.getsignal(sig)
            if current is signal.SIG_IGN:
                continue
            _HANDLED[sig] = current
            signal.signal(sig, _on_signal)
        except (ValueError, OSError):  # pragma: no cover - not the main interpreter
            _HANDLED.pop(sig, None)


atexit.register(_remove_all)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True
    return True


def sweep(target: Path) -> list[Path]:
    """Remove temporary files an earlier, killed writer of ``target`` left in its folder
    (those whose process is gone); returns what was removed."""
    removed = []
    folder = _folder(target)
    with contextlib.suppress(OSError):
        for p in folder.glob(f".{target.name}.*.part*"):
            parts = p.name[len(target.name) + 2:].split(".")
            if len(parts) < 3 or not parts[0].isdigit() or parts[2] != "part":
                continue
            if not _pid_alive(int(parts[0])):
                _remove(p)
                removed.append(p)
    return removed


def check(targets: Iterable[str | os.PathLike[str]], *, overwrite: bool = False,
          inputs: Iterable[str | os.PathLike[str]] = (), what: str = "file",
          error: type[UserError] = OutputError, folders: bool = False) -> list[Path]:
    """The checks :class:`Staged` (``folders``: :class:`StagedFolder`) makes before it writes
    anything; raises ``error``."""
    out = [Path(t) for t in targets]
    ins = [Path(i) for i in inputs if i is not None]
    seen: list[Path] = []
    for target in out:
        folder = _folder(target)
        if not folder.exists():
            raise error(f"{target}: cannot write the {what}: the folder {folder} does not exist")
        if not folder.is_dir():
            raise error(f"{target}: cannot write the {what}: {folder} is not a folder")
        if folders and target.exists() and not target.is_dir():
            raise error(f"{target}: is a file; give a folder name")
        if not folders and target.is_dir():
            raise error(f"{target}: is a folder; give a file name")
        for i in ins:
            if _same_file(target, i):
                raise error(f"{target}: is an input of this command; write the {what} to "
                            "another file")
            if folders and target.is_dir() and _inside(i, target):
                raise error(f"{target}: holds {i}, an input of this command; write the "
                            f"{what} to another folder")
        for s in seen:
            if _same_file(target, s):
                raise error(f"{target}: given twice as an output")
        seen.append(target)
        if (target.exists() or target.is_symlink()) and not overwrite:
            raise error(f"{target}: exists already (use --overwrite to replace it)")
    return out


class Staged:
    """Write ``targets`` through temporary files; :meth:`commit` renames them all into place,
    :meth:`abort` removes them.  As a context manager: commit on success, abort on any error.

    ``path(target)`` is a temporary name not yet created, for writers that create their file
    themselves (GDAL, SQLite); ``open(target)`` opens the temporary file for writing.

    ``temp_name(target)``: the name of a target's temporary file in its folder, for a writer
    whose leftovers are told by another rule than the process id (the gazetteer index, by its
    build lock: ``.gazetteer-<random>.tmp``); such files are not swept here.
    """

    def __init__(self, targets: Iterable[str | os.PathLike[str]], *, overwrite: bool = False,
                 inputs: Iterable[str | os.PathLike[str]] = (), what: str = "file",
                 error: type[UserError] = OutputError,
                 temp_name: Callable[[Path], str] | None = None) -> None:
        self.overwrite = overwrite
        self.what = what
        self.error = error
        self.temp_name = temp_name
        self.targets = check(targets, overwrite=overwrite, inputs=inputs, what=what,
                             error=error)
        self.temps: dict[Path, Path] = {}
        _install_handlers()
        try:
            for target in self.targets:
                if temp_name is None:
                    sweep(target)
                self.temps[target] = self._reserve(target)
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
            return
        problem = self.disk_problem(exc) if isinstance(exc, Exception) else None
        self.abort()
        if problem is not None:
            raise problem from None

    def disk_problem(self, exc: BaseException) -> UserError | None:
        """The error to report when ``exc``, raised by a writer, is the disk's fault (full, no
        permission, read-only) rather than the data's; None otherwise.  Call it before
        :meth:`abort` (a full disk is seen by the free space our temporary files take)."""
        if isinstance(exc, UserError) and not isinstance(exc, OSError):
            return None
        target = self.targets[0] if self.targets else Path(".")
        if is_disk_error(exc):
            return self._fail(target, exc)
        for t in self.targets:
            if disk_full(_folder(t)):
                return self.error(f"{t}: cannot write the {self.what}: "
                                  f"{_REASONS[errno.ENOSPC]}")
        return None

    def _fail(self, target: Path, exc: BaseException) -> UserError:
        return self.error(f"{target}: cannot write the {self.what}: {reason(exc)}")

    def _reserve(self, target: Path) -> Path:
        folder = _folder(target)
        for _ in range(50):
            temp = folder / (self.temp_name(target) if self.temp_name else
                             f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
                             f"{target.suffix}")
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError as exc:
                raise self.error(f"{target}: cannot write in the folder {folder}: "
                                 f"{reason(exc)}") from None
            os.close(fd)
            with _LOCK:
                _LIVE.add(temp)
            os.unlink(temp)  # proven writable; reserved by its unique name
            return temp
        raise self.error(f"{target}: cannot create a temporary file in {folder}")

    def path(self, target: str | os.PathLike[str]) -> Path:
        """The temporary file that will become ``target``."""
        return self.temps[Path(target)]

    def open(self, target: str | os.PathLike[str], mode: str = "wb", **kwargs: Any) -> IO[Any]:
        return open(self.path(target), mode.replace("w", "x") if "w" in mode else mode,
                    **kwargs)

    def write(self, target: str | os.PathLike[str], data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            with self.open(target, "wb") as f:
                f.write(data)
        except OSError as exc:
            raise self._fail(Path(target), exc) from None

    def commit(self) -> list[Path]:
        """Sync every temporary file and rename it into place; returns the targets."""
        mode = 0o666 & ~_umask()
        try:
            for target, temp in self.temps.items():
                if not temp.exists():
                    raise self.error(f"{target}: the writer produced no file")
                os.chmod(temp, mode)
                fd = os.open(temp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            self.abort()
            raise self._fail(target, exc) from None
        except BaseException:
            self.abort()
            raise
        placed: list[Path] = []
        try:
            for target, temp in self.temps.items():
                if self.overwrite:
                    os.replace(temp, target)
                elif self._link(temp, target):
                    os.unlink(temp)
                placed.append(target)
        except BaseException as exc:
            if not self.overwrite:  # all or nothing: take back what this call created
                for p in placed:
                    with contextlib.suppress(OSError):
                        p.unlink()
            self.abort()
            if isinstance(exc, FileExistsError):
                raise self.error(f"{exc.filename or target}: exists already (written by another "
                                 "program meanwhile?); use --overwrite to replace it") from None
            if isinstance(exc, OSError):
                raise self._fail(target, exc) from None
            raise
        for folder in {_folder(t) for t in placed}:
            _sync_folder(folder)
        with _LOCK:
            _LIVE.difference_update(self.temps.values())
        self.temps = {}
        return placed

    @staticmethod
    def _link(temp: Path, target: Path) -> bool:
        """Create ``target`` as ``temp``, failing if it exists (FileExistsError).  True when
        ``temp`` is still there (a hard link), False when it was renamed."""
        try:
            os.link(temp, target)
            return True
        except FileExistsError as exc:
            exc.filename = str(target)
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK):
                raise
            # No hard links here (FAT, some network shares): check, then rename.
            if target.exists():
                raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
            os.rename(temp, target)
            return False

    def abort(self) -> None:
        """Remove every temporary file (nothing is left behind)."""
        for temp in self.temps.values():
            _remove(temp)
        with _LOCK:
            _LIVE.difference_update(self.temps.values())
        self.temps = {}


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- folders -------------------------------------------------------------------------------------

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """Linux's ``renameat2``: ``RENAME_NOREPLACE`` (fails with FileExistsError when ``dst``
    exists, even as an empty folder, which a plain rename replaces) or ``RENAME_EXCHANGE``
    (swaps two names at once).  False when the system or the file system has no such call."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    if call(AT_FDCWD, os.fsencode(src), AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    if err in (errno.EEXIST, errno.ENOTEMPTY):
        raise FileExistsError(err, os.strerror(err), str(dst))
    raise OSError(err, os.strerror(err), str(dst))


def _sync_tree(folder: Path) -> None:
    """``fsync`` every file and folder below ``folder`` (and it)."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_folder(Path(root))


class StagedFolder:
    """A folder written whole or not at all (the archive's partitioned dataset): the same rules
    as :class:`Staged`, for one folder.

    The checks come first (the parent exists; the target, if it exists, is a folder and is
    replaced only with ``overwrite``, and holds none of the command's ``inputs``); the folder is
    built as ``.NAME.PID.RANDOM.part`` beside the target (:attr:`path`), every file in it
    synced, then renamed into place: without ``overwrite`` exclusively (of two writers racing
    for one name exactly one succeeds), with it by swapping the two folders in one step
    (``renameat2(RENAME_EXCHANGE)``; where the system has none, the old folder is renamed aside
    first and put back if the new one cannot take its place) and removing the old one.  The
    temporary folder is removed on any error, Ctrl-C, SIGTERM or SIGHUP, and a killed
    process's by the next write to the same target.
    """

    def __init__(self, target: str | os.PathLike[str], *, overwrite: bool = False,
                 inputs: Iterable[str | os.PathLike[str]] = (), what: str = "folder",
                 error: type[UserError] = OutputError) -> None:
        self.overwrite, self.what, self.error = overwrite, what, error
        self.target = check([target], overwrite=overwrite, inputs=inputs, what=what,
                            error=error, folders=True)[0]
        _install_handlers()
        sweep(self.target)
        parent = _folder(self.target)
        for _ in range(50):
            temp = parent / f".{self.target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
            try:
                temp.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise error(f"{self.target}: cannot write in the folder {parent}: "
                            f"{reason(exc)}") from None
            break
        else:  # pragma: no cover - 50 clashes of 32 random bits
            raise error(f"{self.target}: cannot create a temporary folder in {parent}")
        with _LOCK:
            _LIVE.add(temp)
        self.path = temp  # the folder to write into
        self._open = True

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
            return
        problem = None
        if isinstance(exc, OSError) and is_disk_error(exc):
            problem = self.error(f"{self.target}: cannot write the {self.what}: {reason(exc)}")
        self.abort()
        if problem is not None:
            raise problem from None

    def commit(self) -> Path:
        """Sync the folder's files and put the folder in place; returns the target."""
        temp, target = self.path, self.target
        if not self._open:
            raise self.error(f"{target}: committed or aborted already")
        try:
            _sync_tree(temp)
            if self.overwrite and target.exists():
                self._replace(temp, target)
            elif not _renameat2(temp, target, RENAME_NOREPLACE):
                if target.exists():
                    raise FileExistsError(errno.EEXIST, "exists", str(target))
                os.rename(temp, target)
        except FileExistsError:
            self.abort()
            raise self.error(f"{target}: exists already (written by another program "
                             "meanwhile?); use --overwrite to replace it") from None
        except OSError as exc:
            self.abort()
            raise self.error(f"{target}: cannot write the {self.what}: {reason(exc)}") from None
        except BaseException:
            self.abort()
            raise
        _sync_folder(_folder(target))
        with _LOCK:
            _LIVE.discard(temp)
        self._open = False
        return target

    @staticmethod
    def _replace(temp: Path, target: Path) -> None:
        if _renameat2(temp, target, RENAME_EXCHANGE):
            _remove(temp)  # the old folder, now under the temporary name
            return
        old = temp.with_name(temp.name + ".old")  # swept like the temporary folder
        os.rename(target, old)
        try:
            os.rename(temp, target)
        except BaseException:
            os.rename(old, target)
            raise
        _remove(old)

    def abort(self) -> None:
        """Remove the temporary folder (nothing is left behind)."""
        if self._open:
            _remove(self.path)
            with _LOCK:
                _LIVE.discard(self.path)
            self._open = False


def write_file(path: str | os.PathLike[str], data: bytes | str, *, overwrite: bool = False,
               inputs: Iterable[str | os.PathLike[str]] = (), what: str = "file",
               error: type[UserError] = OutputError) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through :class:`Staged`."""
    with Staged([path], overwrite=overwrite, inputs=inputs, what=what, error=error) as st:
        st.write(path, data)
    return Path(path)


@contextlib.contextmanager
def staged(targets: Iterable[str | os.PathLike[str]], **kwargs: Any) -> Iterator[Staged]:
    """``with staged([a, b], overwrite=...) as st:`` -- :class:`Staged` as a context."""
    with Staged(targets, **kwargs) as st:
        yield st

"""Run ``python -m geoevents ARGS`` in a new process without paying the interpreter's start and
the heavy imports (geopandas, pandas, pyarrow, matplotlib, folium ... about 1.3 s of CPU) on every
call: one server process imports those libraries once -- never any module of this project -- and
``fork()``s a child per call.  The child is a real, separate process: its own environment, working
folder, stdin/stdout/stderr (files, like a pipe: no terminal), exit status, atexit handlers; it
runs ``geoevents`` with ``runpy`` exactly as ``python -m geoevents`` does.

Used by the ``cli`` fixture on a plain ``python -m pytest``; CI (``CI``/``GEOEVENTS_REQUIRE_TOOLS``,
see conftest.run_slow_tests) and ``GEOEVENTS_TEST_FORK=0`` start a fresh interpreter for every
call instead.  Calls whose environment changes what an interpreter reads at start-up
(``PYTHON*``, ``LC_*``, ``LANG``, ``TZ``, ``MPL*``) always get a fresh interpreter."""

from __future__ import annotations

import json
import locale
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER = r'''
import gc, json, os, signal, sys, time
gc.disable()  # then freeze: a child's collections do not touch (and copy) the parent's pages
import numpy, pandas, pyarrow, pyarrow.csv, pyarrow.json, shapely, pyproj, pyogrio, geopandas
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot, folium, branca, yaml, rapidfuzz, tqdm, platformdirs
requests = os.fdopen(int(sys.argv[1]), "r")
replies = os.fdopen(int(sys.argv[2]), "w")
gc.freeze()
for line in requests:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            requests.close(); replies.close()
            gc.enable()
            os.setpgid(0, 0)
            for fd, name, flags in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY),
                                    (2, "stderr", os.O_WRONLY)):
                f = os.open(job[name], flags)
                os.dup2(f, fd); os.close(f)
            os.chdir(job["cwd"])
            os.environ.clear(); os.environ.update(job["env"])
            sys.path[:0] = [p for p in job["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
            sys.path.insert(0, job["cwd"])
            sys.argv = ["-m", *job["args"]]
            import runpy
            code = 0
            try:
                runpy.run_module("geoevents", run_name="__main__", alter_sys=True)
            except SystemExit as e:
                if e.code is None: code = 0
                elif isinstance(e.code, int): code = e.code
                else: print(e.code, file=sys.stderr); code = 1
            except BaseException:
                import traceback; traceback.print_exc(); code = 1
            import atexit, threading
            threading._shutdown()
            atexit._run_exitfuncs()
            for s in (sys.stdout, sys.stderr):
                try: s.flush()
                except Exception: pass
        except BaseException:
            code = 120
        os._exit(code & 0xFF)
    deadline = time.monotonic() + job["timeout"]
    status = None
    while status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
        elif time.monotonic() > deadline:
            try: os.killpg(pid, signal.SIGKILL)
            except OSError: pass
            os.waitpid(pid, 0); status = "timeout"
        else:
            time.sleep(0.005)
    replies.write(json.dumps(status) + "\n"); replies.flush()
'''

STARTUP = ("PYTHON", "LC_", "LANG", "TZ", "MPL")


class ForkServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(req_r), str(rep_w)],
                                     pass_fds=(req_r, rep_w), env=env, cwd=root,
                                     stdin=subprocess.DEVNULL)
        os.close(req_r)
        os.close(rep_w)
        self._requests = os.fdopen(self._req_w, "w")
        self._replies = os.fdopen(self._rep_r, "r")
        self._env = dict(env)

    def usable(self, env: dict[str, str]) -> bool:
        """False when ``env`` differs from the server's in what start-up reads."""
        keys = {k for k in set(env) | set(self._env) if k.startswith(STARTUP)}
        return self.proc.poll() is None and all(
            env.get(k) == self._env.get(k) for k in keys if k != "PYTHONPATH")

    def run(self, args: list[str], *, env: dict[str, str], cwd: Path, input: str | bytes | None,
            timeout: float) -> subprocess.CompletedProcess:
        text = not isinstance(input, bytes)
        with tempfile.TemporaryDirectory(prefix="geoevents-fork-") as tmp:
            t = Path(tmp)
            stdin = t / "stdin"
            if input is None:
                stdin = Path(os.devnull)
            else:
                stdin.write_bytes(input if isinstance(input, bytes)
                                  else input.encode(locale.getpreferredencoding(False)))
            (t / "stdout").touch()
            (t / "stderr").touch()
            self._requests.write(json.dumps({
                "args": args, "env": env, "cwd": str(cwd), "stdin": str(stdin),
                "stdout": str(t / "stdout"), "stderr": str(t / "stderr"),
                "timeout": timeout}) + "\n")
            self._requests.flush()
            reply = self._replies.readline()
            if not reply:
                raise RuntimeError("the tests' fork server stopped")
            status = json.loads(reply)
            out, err = (t / "stdout").read_bytes(), (t / "stderr").read_bytes()
        argv = [sys.executable, "-m", *args]
        if status == "timeout":
            raise subprocess.TimeoutExpired(argv, timeout, out, err)
        if text:  # as subprocess.run(text=True) decodes: locale encoding, universal newlines
            enc = locale.getpreferredencoding(False)
            out, err = (b.decode(enc).replace("\r\n", "\n").replace("\r", "\n")
                        for b in (out, err))
        return subprocess.CompletedProcess(argv, status, out, err)

    def close(self) -> None:
        try:
            self._requests.close()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
        finally:
            self._replies.close()

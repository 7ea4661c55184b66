"""Start the front end as ``tryon ui [--kiosk] [--port N]`` does: ``streamlit run ui/app.py``.

The server runs headless (no browser is opened; it prints the address) and sends no usage
statistics. Kiosk mode and the idle time travel as app arguments (after ``--``).

The server never outlives the launcher: SIGTERM, SIGINT and SIGHUP sent to the launcher are
passed on to it (a server still running :data:`STOP_SECONDS` later is killed), and on Linux
the kernel sends it SIGTERM when the launcher dies in any other way (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = ["APP", "FORWARDED_SIGNALS", "STOP_SECONDS", "launch", "streamlit_command"]

APP = Path(__file__).resolve().with_name("app.py")
FORWARDED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                          if hasattr(signal, name))  # no SIGHUP on Windows
STOP_SECONDS = 10.0  # after the first forwarded signal, before the server is killed
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def streamlit_command(kiosk: bool = False, port: int | None = None, *,
                      address: str | None = None, idle_seconds: float | None = None,
                      engines: int | None = None, extra: Sequence[str] = ()) -> list[str]:
    """The command line :func:`launch` runs; ``extra`` goes to ``streamlit run`` before the
    app arguments (e.g. ``["--server.maxUploadSize", "40"]``)."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if port is not None:
        command += ["--server.port", str(port)]
    if address is not None:
        command += ["--server.address", address]
    command += ["--client.toolbarMode", "minimal" if kiosk else "viewer",
                "--server.maxUploadSize", "40"]
    command += list(extra)
    app_args: list[str] = ["--kiosk"] if kiosk else []
    if idle_seconds is not None:
        app_args += ["--idle-seconds", str(idle_seconds)]
    if engines is not None:
        app_args += ["--engines", str(engines)]
    return command + (["--", *app_args] if app_args else [])


def launch(kiosk: bool = False, port: int | None = None, *, address: str | None = None,
           idle_seconds: float | None = None, engines: int | None = None,
           extra: Sequence[str] = ()) -> int:
    """Run the app until it stops (Ctrl+C, SIGTERM); return Streamlit's exit status.

    Arguments as for :func:`streamlit_command`.
    """
    command = streamlit_command(kiosk, port, address=address, idle_seconds=idle_seconds,
                                engines=engines, extra=extra)
    process = subprocess.Popen(command, preexec_fn=_parent_death_signal())
    with _forwarding(process):
        return process.wait()


@contextmanager
def _forwarding(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Pass :data:`FORWARDED_SIGNALS` received by this process on to ``process`` while the
    block runs, and kill it when it still runs :data:`STOP_SECONDS` after the first. Ctrl+C
    in a terminal reaches both processes: the server then gets it twice, which it takes as
    one request to stop. Off the main thread (where Python cannot take signals) nothing is
    forwarded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    deadline = threading.Timer(STOP_SECONDS, _kill, args=(process,))
    deadline.daemon = True

    def forward(signum: int, frame: FrameType | None) -> None:
        process.send_signal(signum)  # nothing is sent once the server has ended
        if deadline.ident is None:  # the first signal
            deadline.start()

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        deadline.cancel()


def _kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL for a server that did not stop when asked."""
    process.kill()


def _parent_death_signal() -> Callable[[], None] | None:
    """On Linux, a function for ``Popen(preexec_fn=...)`` that has the kernel send the child
    SIGTERM when this process dies (even by SIGKILL); None elsewhere or without ``prctl``."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the launcher died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return arm

"""The CPU's threads: how many a runtime gets, and numpy's BLAS kept to one during a try-on.

numpy and scipy each load an OpenBLAS with a worker thread per core. A matrix product in the
fit or the scene (the thin-plate splines' solves and warps) wakes those workers, and OpenBLAS
lets a woken worker spin for a while before it sleeps: on a 2-core machine it took 40-50 ms
of one core in the 200 ms after :meth:`tryon.pipeline.TryOnEngine.run_coarse`, the very
moment ONNX Runtime ran the try-on generator on both cores (its refine stage took 41-44 ms
instead of 27-28). The pipeline's matrices are small (tens of control points), so one BLAS
thread costs nothing there; :func:`one_blas_thread` holds BLAS to it inside a try-on and gives
the caller's setting back after, so a user's own numpy in the same process is untouched.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from threadpoolctl import ThreadpoolController

__all__ = ["cpu_threads", "one_blas_thread"]


def cpu_threads(cap: int) -> int:
    """The cores this process may run on (its affinity on Linux), between 1 and ``cap``."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(cap, count))


_lock = threading.Lock()
_inside = 0  # threads inside one_blas_thread
_limiter: Any = None  # threadpoolctl's limiter while any thread is inside


@functools.cache
def _controller() -> ThreadpoolController:
    """The thread pools of the BLAS libraries loaded so far (numpy's and scipy's are loaded
    when :mod:`tryon.pipeline` is imported); looked up once, as the lookup walks the process's
    loaded libraries."""
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Inside: every BLAS library runs on the calling thread only, its workers stay asleep;
    when the last of the threads inside leaves (engines on several threads overlap), the
    thread counts are what they were before the first came in."""
    global _inside, _limiter
    with _lock:
        if _inside == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None

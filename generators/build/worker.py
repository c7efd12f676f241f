"""What runs inside a pipeline worker process, around each job: limits and clean-up.

The parent (``runner.py``) starts workers with ``initialize`` and gives each job to
``call``. A worker

- ignores SIGINT (a Ctrl-C in the terminal reaches every process of the foreground
  group: the parent decides what stops, and stops the workers itself);
- on SIGTERM (the parent stopping a job that timed out, or the whole pool) kills every
  process the job started (Jupyter kernels, which live in their own session and so miss
  the terminal's signals) and exits. A worker stuck in C code runs no Python handler:
  pebble then SIGKILLs it, and the parent kills what it left (``runner.Descendants``);
- runs each job under an optional address-space limit (``RLIMIT_AS``), so a job that
  asks for too much memory gets a ``MemoryError`` instead of waking the OOM killer.

Nothing here knows about figures or notebooks: ``jobs.run_job`` does the work.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from collections.abc import Callable
from typing import Any


def initialize() -> None:
    """Set up a fresh worker: signals as described above. Runs once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def kill_descendants() -> None:
    """SIGKILL every process this one started, and theirs (a kernel and its children)."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=2)


def _stop(signum: int, frame: object) -> None:
    kill_descendants()
    sys.stdout.flush()
    os._exit(128 + signum)


def call(fn: Callable[..., dict[str, Any]], args: tuple, memory_mb: int | None) -> dict[str, Any]:
    """Run ``fn(*args)`` (a job) under the memory limit; stray child processes are killed after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY
                                                else min(limit, hard), hard))
    try:
        return fn(*args)
    finally:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        kill_descendants()  # a job leaves nothing running behind it

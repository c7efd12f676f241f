"""What the figure step shows while it works: quiet when nothing happens, visible when something long does.

- ``say``: the default way a line is printed: errors (and a failure's traceback) on
  stderr, everything else on stdout, each line flushed at once.
- ``Progress``: while jobs run, on a terminal (stderr is a TTY) a live bar (tqdm) with
  the jobs done, running and left and an estimated time to go; elsewhere (CI logs,
  ``make`` piped to a file) nothing but plain lines, one per finished job, with no ANSI
  escape codes or carriage returns.
- ``estimate``: that time to go, from each job's time in the last build (its manifest's
  ``seconds``), dealt to the workers longest first as the pipeline deals them.
"""

from __future__ import annotations

import heapq
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

ERROR_PREFIXES = ("error", "  FAILED", "    ")  # a failure's lines, as serve.py routes them
UNKNOWN_JOB_SECONDS = 30.0  # a job never built before, when no job has a known time either


def say(line: str) -> None:
    """Print one line now: errors to stderr, the rest to stdout."""
    stream = sys.stderr if line.startswith(ERROR_PREFIXES) else sys.stdout
    print(line, file=stream, flush=True)


def clock(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    s = max(0, round(seconds))
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m}:{s % 60:02d}"


def estimate(running: list[float], waiting: list[float], workers: int) -> float:
    """Seconds until every job is done: ``running`` jobs' remaining times, then the
    ``waiting`` jobs' times (in the order they start) each given to the first free worker."""
    free = sorted(running)[:workers] + [0.0] * max(0, workers - len(running))
    heapq.heapify(free)
    for seconds in waiting:
        heapq.heappush(free, heapq.heappop(free) + seconds)
    return max(free, default=0.0)


class Progress:
    """Reports a run of jobs: ``started``/``finished`` as they happen, ``tick`` often, ``close`` at the end.

    ``expected``: job id -> its time in the last build (None if never built), in the
    order the jobs are submitted. ``live``: draw the bar (default: when stderr is a TTY).
    """

    def __init__(self, expected: dict[str, float | None], workers: int,
                 echo: Callable[[str], None] = say, live: bool | None = None) -> None:
        known = [s for s in expected.values() if s is not None]
        fill = statistics.median(known) if known else UNKNOWN_JOB_SECONDS
        self.rough = len(known) < len(expected)  # some jobs have no time yet
        self.expected = {j: (s if s is not None else fill) for j, s in expected.items()}
        self.workers = workers
        self.echo = echo
        self.started_at: dict[str, float] = {}
        self.done: set[str] = set()
        self.bar: Any = None
        self._last_tick = 0.0
        if live if live is not None else sys.stderr.isatty():
            from tqdm import tqdm

            try:  # a terminal that reports no width (some containers) gets 80 columns
                sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
            except OSError:
                sized = False
            self.bar = tqdm(total=round(sum(self.expected.values()), 1) or 1, file=sys.stderr,
                            leave=False, mininterval=0.2, dynamic_ncols=sized,
                            ncols=None if sized else 80,
                            bar_format="figures {percentage:3.0f}%|{bar}| {desc}")
            self.tick(force=True)
        eta = self.eta()
        self.line(f"  running {len(expected)} job(s) on {workers} worker(s)"
                  + (f"; about {clock(eta)} by the last build's timings"
                     if known and not self.rough else ""))

    def line(self, text: str) -> None:
        """Print ``text`` above the bar (or as a plain line)."""
        if self.bar is None:
            self.echo(text)
        else:
            with self.bar.external_write_mode():
                self.echo(text)

    def started(self, job_id: str) -> None:
        self.started_at.setdefault(job_id, time.monotonic())

    def finished(self, job_id: str, *lines: str) -> None:
        self.done.add(job_id)
        for text in lines:
            self.line(text)
        self.tick(force=True)

    def eta(self) -> float:
        now = time.monotonic()
        running = [max(self.expected[j] - (now - t), 1.0)
                   for j, t in self.started_at.items() if j not in self.done]
        waiting = [s for j, s in self.expected.items()
                   if j not in self.done and j not in self.started_at]
        return estimate(running, waiting, self.workers)

    def tick(self, force: bool = False) -> None:
        """Redraw the bar (at most a few times a second); nothing in plain mode."""
        now = time.monotonic()
        if self.bar is None or (not force and now - self._last_tick < 0.5):
            return
        self._last_tick = now
        running = [j for j in self.started_at if j not in self.done]
        work = sum(self.expected[j] for j in self.done) + sum(
            min(self.expected[j], now - self.started_at[j]) for j in running)
        left = len(self.expected) - len(self.done) - len(running)
        self.bar.n = min(round(work, 1), self.bar.total)
        self.bar.set_description_str(
            f"{len(self.done)}/{len(self.expected)} done, {len(running)} running, {left} left, "
            f"ETA {'~' if self.rough else ''}{clock(self.eta())}", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()  # leave=False: the bar disappears, the log lines stay
            self.bar = None

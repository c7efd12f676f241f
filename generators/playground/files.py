"""How one problem's explorer data is cut into the files the playground page fetches.

The page needs a problem's points and controls at once, and after that only the runs it
shows. So ``train_grid``'s payload is published as

- ``<problem>.json``, the shared part: the points, the checkpoints, the controls'
  options, and which file holds which runs (``files``);
- ``<problem>-<activation>-<regularization>.json``, one per activation x regularisation
  (12 per problem): that pair's runs at every learning rate and architecture.

The page's first view fetches the shared part and one run file; a control that changes
the activation or the regularisation fetches another one, once. Why not one file per run:
every export is named when the generator is defined, before ``compute`` runs, and only
the activations and regularisations are fixed by the code; the learning rates and the
architectures are parameters an instructor may change in ``site_config/figures.yml``.

Deliberately left out: any change to the runs themselves. Put back together
(``join``), the files are the payload, number for number.
"""

from __future__ import annotations

import json
from typing import Any

from generators.figure import Export
from generators.playground import ACTIVATIONS, REGULARIZATIONS

PAIRS = tuple((a, r) for a in ACTIVATIONS for r in REGULARIZATIONS)  # one run file each


def pair_key(activation: str, reg: str) -> str:
    """The shared part's key for a run file: a run key's first two fields, ``tanh|L2``."""
    return f"{activation}|{reg}"


def export_name(problem: str, activation: str, reg: str) -> str:
    """The export (and file stem) of one run file: ``circle-tanh-l2`` (export names are lower case)."""
    return f"{problem}-{activation}-{reg.lower()}"


def shared(payload: dict[str, Any]) -> dict[str, Any]:
    """Everything but the runs, plus the name of the file that holds each pair's runs."""
    part = {k: v for k, v in payload.items() if k != "runs"}
    part["files"] = {pair_key(a, r): f"{export_name(payload['dataset'], a, r)}.json" for a, r in PAIRS}
    return part


def runs_of(payload: dict[str, Any], activation: str, reg: str) -> dict[str, Any]:
    """One run file: the runs with this activation and regularisation, keyed as in the payload."""
    prefix = pair_key(activation, reg) + "|"
    return {"runs": {k: v for k, v in payload["runs"].items() if k.startswith(prefix)}}


def join(part: dict[str, Any], run_files: list[dict[str, Any]]) -> dict[str, Any]:
    """The payload again, from the shared part and the run files (what the page sees)."""
    payload = {k: v for k, v in part.items() if k != "files"}
    payload["runs"] = {k: v for f in run_files for k, v in f["runs"].items()}
    return payload


def file_bytes(data: Any) -> int:
    """Bytes of ``data`` as the build writes an export (compact, sorted keys)."""
    return len(json.dumps(data, separators=(",", ":"), sort_keys=True, allow_nan=False).encode())


def largest_run_file(payload: dict[str, Any]) -> int:
    """Bytes of the largest run file: the most that changing a control downloads."""
    return max(file_bytes(runs_of(payload, a, r)) for a, r in PAIRS)


def problem_exports(problem: str) -> tuple[Export, ...]:
    """The exports of one problem's generator: its shared part, then its 12 run files.

    ``compute`` must return ``train_grid``'s dict (the payload under ``"payload"``).
    """
    return (Export(problem, lambda d, p: shared(d["payload"])),
            *(Export(export_name(problem, a, r), lambda d, p, a=a, r=r: runs_of(d["payload"], a, r))
              for a, r in PAIRS))

"""The files each in-page explorer loads, planned by the expand step.

An explorer KIND is the script ``site_config/assets/js/KIND.js``; its stylesheet, if it
has one, is ``site_config/assets/css/KIND.css``; the vendored libraries it needs loaded
before it are listed in ``NEEDS``. The page's explorer element names these files
(``data-scripts``, ``data-styles``: see ``refs.explorer_html``), and the one script every
page loads, ``explorers.js``, loads them when, and only when, a page shows that explorer.
Stylesheets in ``assets/css/`` named for no explorer are the course's own and load on
every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STARTER = "explorers.js"  # the loader every page gets; not an explorer kind
# Libraries an explorer's script needs, loaded before it, as paths under assets/js/.
NEEDS: dict[str, tuple[str, ...]] = {
    "dataflow": ("vendor/dagre.min.js",),
    # The live playground's trainer and data sets (the course's own, not vendored).
    "playground": ("lib/playground-nn.js", "lib/playground-data.js"),
    # The course's convolution and pooling (lib/conv.js), the CNN's inference built on it
    # (lib/cnn.js), and descent on the quadratic valley (lib/descent.js).
    "convolution": ("lib/conv.js",),
    "digits": ("lib/conv.js", "lib/cnn.js"),
    "trajectories": ("lib/descent.js",),
}


@dataclass(frozen=True)
class ExplorerAssets:
    """What one explorer kind loads: site-root-relative paths, scripts in load order."""

    scripts: tuple[str, ...]
    styles: tuple[str, ...]


def explorer_assets(assets: Path, needs: Mapping[str, tuple[str, ...]] = NEEDS) -> dict[str, ExplorerAssets]:
    """Every explorer kind under ``assets`` (``site_config/assets``) and the files it loads.

    ``needs``: each kind's libraries (``NEEDS``). ``FileNotFoundError`` naming the file if
    one of them is missing.
    """
    kinds = sorted(p.stem for p in (assets / "js").glob("*.js") if p.name != STARTER)
    planned = {}
    for kind in kinds:
        for need in needs.get(kind, ()):
            if not (assets / "js" / need).is_file():
                raise FileNotFoundError(f"{(assets / 'js' / need).as_posix()}: the {kind} explorer "
                                        f"needs it (NEEDS in {Path(__file__).name}), but it is missing")
        style = assets / "css" / f"{kind}.css"
        planned[kind] = ExplorerAssets(
            scripts=(*(f"assets/js/{need}" for need in needs.get(kind, ())), f"assets/js/{kind}.js"),
            styles=(f"assets/css/{kind}.css",) if style.is_file() else ())
    return planned


def shared_styles(assets: Path, kinds: set[str] | dict[str, ExplorerAssets]) -> list[str]:
    """The stylesheets in ``assets/css/`` that belong to no explorer: every page loads them."""
    return [f"assets/css/{p.name}" for p in sorted((assets / "css").glob("*.css")) if p.stem not in kinds]

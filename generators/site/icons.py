"""Which icon names (``material/brain``, ``fontawesome/solid/book``) the engines can draw.

The course file's ``logo`` and a page's ``icon`` front matter name an icon that the
engine inlines from its theme's ``.icons`` folder; a name it lacks fails the engine's
build halfway. Checking here, before the engine starts, names the file and line instead.
An icon must exist for every installed engine, since either may build the site.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from generators.build.suggest import did_you_mean

# (engine, package): where each engine keeps its icon sets, found without importing it.
ENGINES = (("Material for MkDocs", "material"), ("Zensical", "zensical"))


@lru_cache(maxsize=None)
def icon_folders() -> dict[str, Path]:
    """Installed engine name -> its folder of icon sets."""
    found = {}
    for engine, package in ENGINES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        icons = Path(spec.submodule_search_locations[0]) / "templates" / ".icons"
        if icons.is_dir():
            found[engine] = icons
    return found


def icon_problem(name: str) -> str | None:
    """Why ``name`` cannot be drawn (with the closest names), or None if every engine has it."""
    for engine, icons in icon_folders().items():
        if ".." in name.split("/") or not (icons / f"{name}.svg").is_file():
            family = icons / name.rpartition("/")[0]
            same = ([p.relative_to(icons).with_suffix("").as_posix() for p in family.glob("*.svg")]
                    if "/" in name and family.is_dir() else [])
            sets = sorted(p.name for p in icons.iterdir() if p.is_dir())
            return (f"{engine} has no icon {name!r}" + (did_you_mean(name, same) if same else
                    f"; its icon sets: {', '.join(sets)} (e.g. material/brain)"))
    return None

"""The math font, cut down to what the site's maths draws and served as WOFF2.

The MathML is made at build time (``maths.py``), so the expand step knows every character
any page's maths uses. ``math_characters(mathml)`` lists them, together with the ones the
browser substitutes while laying the formula out (a one-letter ``<mi>x</mi>`` is drawn as
MATHEMATICAL ITALIC SMALL X, ``mathvariant="bold"`` picks the bold letters, a square
root draws U+221A). ``missing_glyphs`` names those the font cannot draw, so a page that
uses one fails the build with its line instead of showing a fallback font's glyph.
``subset_font`` makes the WOFF2 with fontTools: only those characters' glyphs, with the
``MATH`` table and the layout features kept, so stretchy operators keep their size
variants and assembly parts (fontTools closes over both). ``math_font`` keeps the result
in ``build/cache/fonts/``, named by everything it is made from: an unchanged set of
characters is never subset twice.

Left out: the font's hinting instructions are kept as they are (browsers on Windows use
them); no other font is subset (the text font is the theme's).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

FONT_NAME = "STIX Two Math"
CACHE_DIR = Path("build") / "cache" / "fonts"
SERVED_NAME = "STIXTwoMath.woff2"
# MathML elements whose text the browser draws with the math font.
TOKENS = {"mi", "mo", "mn", "mtext", "ms"}
# Characters the browser draws for an element that holds no text.
DRAWN_FOR = {"msqrt": "\u221a", "mroot": "\u221a"}
# mathvariant -> the style word of the Unicode names (MATHEMATICAL BOLD SMALL A ...).
VARIANTS = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC",
            "double-struck": "DOUBLE-STRUCK", "script": "SCRIPT", "bold-script": "BOLD SCRIPT",
            "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR", "sans-serif": "SANS-SERIF",
            "bold-sans-serif": "SANS-SERIF BOLD", "sans-serif-italic": "SANS-SERIF ITALIC",
            "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC", "monospace": "MONOSPACE"}
# Characters FreeType's auto-hinter (Chromium and Firefox on Linux) measures to set a script's
# alignment zones (its afblue.dat, Latin and Greek). Without them the zones differ from the
# full font's and formulas shift by a pixel; with them a subset draws like the full font.
HINTING_REFERENCE = ("THEZOCQSLU" "fijkdbh" "uvxzoesc" "nr" "pqgjy" "0123456789"
                     "\u0393\u0392\u0395\u0396\u0398\u039f\u03a9\u0394\u039e"
                     "\u03b2\u03b8\u03b4\u03b6\u03bb\u03be\u03b1\u03b5\u03b9\u03bf\u03c0"
                     "\u03c3\u03c4\u03c9\u03b3\u03b7\u03bc\u03c1\u03c6\u03c7\u03c8")
# The letters Unicode had before the mathematical block (its holes): ℎ, ℝ, ℬ, ℭ ...
OLDER_NAMES = {"ITALIC SMALL H": "PLANCK CONSTANT", "FRAKTUR CAPITAL": "BLACK-LETTER CAPITAL"}


def source_font() -> Path:
    """The full STIX Two Math (TTF) the ziamath package ships; ``FileNotFoundError`` if absent.

    Found without importing ziamath, which would cost a tenth of a second.
    """
    spec = importlib.util.find_spec("ziamath")
    path = (Path(spec.submodule_search_locations[0]) / "fonts" / "STIXTwoMath-Regular.ttf"
            if spec is not None and spec.submodule_search_locations else None)
    if path is None or not path.is_file():
        raise FileNotFoundError("the ziamath package (the math font) is not installed: run `make`")
    return path


def math_characters(mathml: str) -> tuple[set[str], set[str]]:
    """What one formula draws: (the characters it holds, the ones the browser adds).

    The first set is the formula's own text, each of which the font must have; the second
    the styled forms the browser may draw instead (math italic for a one-letter ``<mi>``,
    the ``mathvariant`` letters) and the glyphs of empty elements (the root sign).
    """
    own: set[str] = set()
    added: set[str] = set()
    for node in ET.fromstring(mathml).iter():
        tag = node.tag.rsplit("}", 1)[-1]
        added.update(DRAWN_FOR.get(tag, ""))
        text = "".join(node.itertext()) if tag in TOKENS else ""
        own.update(text)
        variant = node.get("mathvariant")
        if tag == "mi" and len(text) == 1 and variant is None:
            variant = "italic"  # CSS text-transform: math-auto
        if tag == "mo" and "-" in text:
            added.add("\u2212")  # browsers may draw a hyphen operator as a minus
        for char in text if variant in VARIANTS else "":
            added.update(styled(char, VARIANTS[variant]))
    return own, added - own


def styled(char: str, style: str) -> str:
    """``char`` in a mathematical style ("BOLD", "ITALIC", ...), or "" if Unicode has none."""
    name = unicodedata.name(char, "")
    for prefix in ("LATIN ", "GREEK ", "LUNATE "):
        name = name.replace(prefix, "")
    name = name.replace("LETTER ", "")
    wanted = f"{style} {name}"
    for candidate in (f"MATHEMATICAL {wanted}", *(wanted.replace(old, new) for old, new
                                                   in OLDER_NAMES.items() if old in wanted),
                      wanted):
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return ""


@functools.cache
def font_characters(font: Path) -> frozenset[str]:
    """Every character ``font`` has a glyph for (its cmap)."""
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as ttf:
        return frozenset(map(chr, ttf.getBestCmap()))


def missing_glyphs(chars: Iterable[str], font: Path) -> list[str]:
    """Those of ``chars`` ``font`` cannot draw (sorted); invisible characters never count.

    Spaces, function application (U+2061) and the like take room but show nothing: a
    browser lays them out without a glyph.
    """
    have = font_characters(font)
    return sorted(c for c in set(chars) - have
                  if unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cf", "Cc"))


def glyph_error(char: str) -> str:
    """The message for a character the math font lacks."""
    return f"the math font ({FONT_NAME}) has no glyph for {char!r} (U+{ord(char):04X})"


def subset_font(font: Path, chars: Iterable[str]) -> bytes:
    """``font`` cut down to ``chars`` (those it has), as WOFF2; the same input, the same bytes.

    The ``MATH`` table and every layout feature are kept, and so are, through fontTools'
    glyph closure, the size variants and assembly parts of stretchy operators and the
    script-size forms (``ssty``); so are the letters an auto-hinter measures
    (``HINTING_REFERENCE``). The names (copyright, licence) are kept whole.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = False
    options.flavor = "woff2"
    options.drop_tables = [*options.drop_tables, "DSIG"]  # a signature the subset would break
    have = font_characters(font)
    with TTFont(font, recalcTimestamp=False) as ttf:  # no build time in the bytes
        subsetter = subset.Subsetter(options)
        wanted = set(chars) | set(HINTING_REFERENCE) | {" "}
        subsetter.populate(unicodes=sorted(ord(c) for c in wanted & have))
        subsetter.subset(ttf)
        ttf.flavor = "woff2"
        out = io.BytesIO()
        ttf.save(out)
    return out.getvalue()


def subset_key(font: Path, chars: Iterable[str]) -> str:
    """A hash of what the subset is made from: the font, the characters, the tools."""
    digest = hashlib.sha256(font.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{metadata.version('fonttools')}:{metadata.version('brotli')}".encode())
    digest.update("".join(sorted(set(chars))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def math_font(root: Path, chars: Iterable[str]) -> Path:
    """The cached WOFF2 subset for ``chars`` under ``root/build/cache/fonts/``, made if needed.

    Earlier subsets are removed once the new one is written. Returns the file (its
    modification time is kept, so the expand step's copy is skipped when it is unchanged).
    """
    from generators.build.cache import atomic_write

    font = source_font()
    chars = set(chars)
    cache = root / CACHE_DIR
    target = cache / f"STIXTwoMath-{subset_key(font, chars)}.woff2"
    if not target.is_file():
        atomic_write(target, subset_font(font, chars))
        for old in cache.glob("STIXTwoMath-*.woff2"):
            if old != target:
                old.unlink(missing_ok=True)
    return target

"""Citations and the reading list: parsing, rendering, escaping, backlinks, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.site.citations import CitationError, cited_keys, expand_citations, load_references
from sitekit import REPO

BIB = r"""
@book{evil2020,
  author = {Ada Lovelace and Alan Turing},
  title = {Tricks <script>alert("x")</script> for Networks},
  publisher = {Press & Co},
  year = {2020},
  url = {https://example.org/book},
  topic = {Foundations <b>},
  tier = {essential},
  annotation = {Read it for the <img src=x onerror=alert(1)> pictures.}
}
@article{solo2019,
  author = {Grace Hopper},
  title = {Compilers},
  journal = {Journal},
  year = {2019},
  url = {https://example.org/solo},
  topic = {Foundations <b>},
  tier = {further},
  annotation = {Short.}
}
"""


@pytest.fixture
def refs(tmp_path: Path):
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config/references.bib").write_text(BIB)
    return load_references(tmp_path)


def test_short_forms_and_order(refs) -> None:
    assert list(refs) == ["evil2020", "solo2019"]
    assert refs["evil2020"].short == "Lovelace and Turing, 2020"
    assert refs["solo2019"].short == "Hopper, 2019"


def test_citations_link_to_the_reading_list(refs) -> None:
    md = "As shown [@solo2019; @evil2020], and `[@nope]` in code is left alone."
    out = expand_citations(md, "lessons/neurons.md", refs, {})
    assert "([Hopper, 2019](../reading-list.md#ref-solo2019){ .dlv-cite }; " in out
    assert "[Lovelace and Turing, 2020](../reading-list.md#ref-evil2020)" in out
    assert "`[@nope]`" in out
    assert cited_keys(md) == ["solo2019", "evil2020"]


def test_locators(refs) -> None:
    out = expand_citations("See [@solo2019, ch. 4; @evil2020, pp. 1-2].", "a.md", refs, {})
    assert "[Hopper, 2019, ch. 4](reading-list.md#ref-solo2019)" in out
    assert "[Lovelace and Turing, 2020, pp. 1-2](reading-list.md#ref-evil2020)" in out


def test_every_field_is_escaped(refs) -> None:
    md = "See [@evil2020].\n\n{{ further_reading }}\n"
    out = expand_citations(md, "lessons/a.md", refs, {})
    page = expand_citations("{{ reading_list }}", "reading-list.md", refs,
                            {"evil2020": [("lessons/a.md", "Lesson <A>")]})
    for text in (out, page):
        assert "<script>" not in text and "&lt;script&gt;" in text
        assert "<img" not in text
    assert "Foundations &lt;b&gt;" in page and "Lesson &lt;A&gt;" in page


def test_reading_list_groups_by_topic_marks_tiers_and_links_back(refs) -> None:
    page = expand_citations("{{ reading_list }}", "reading-list.md", refs,
                            {"evil2020": [("lessons/a.md", "Lesson A"), ("lessons/b.md", "Lesson B")]})
    assert page.count("\n## ") == 1
    assert 'id="ref-evil2020"' in page and 'dlv-tier-essential' in page and 'dlv-tier-further' in page
    assert "Cited in: [Lesson A](lessons/a.md), [Lesson B](lessons/b.md)." in page
    assert page.count("Cited in:") == 1  # solo2019 is cited nowhere


def test_unknown_key_is_an_error(refs) -> None:
    with pytest.raises(CitationError, match="unknown citation key 'nielsen'"):
        expand_citations("[@nielsen]", "a.md", refs, {})


def test_malformed_bibtex_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config/references.bib").write_text("@book{a,\n title = {x},\n year = 2\n\n@book{b,}")
    with pytest.raises(CitationError, match=r"references.bib:\d+: malformed BibTeX"):
        load_references(tmp_path)


def test_missing_course_fields_are_named(tmp_path: Path) -> None:
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config/references.bib").write_text("@book{a, title = {x}, year = {2000}}")
    with pytest.raises(CitationError, match="entry 'a' lacks field\\(s\\) url, topic, tier, annotation"):
        load_references(tmp_path)


def test_the_course_references_hold_every_work_the_lecture_cites() -> None:
    refs = load_references(REPO)
    for key in ("nielsen2015", "ufldl", "goodfellow2016", "tensorflow-tutorials", "icmlviz2016",
                "yosinski2015", "nguyen2016", "wongsuphasawat2018"):
        assert key in refs


def test_cached_references_keep_the_file_order(tmp_path: Path) -> None:
    (tmp_path / "site_config").mkdir()
    bib = BIB.replace("@book{evil2020", "@book{zeta2020").replace("@article{solo2019", "@article{alpha2019")
    (tmp_path / "site_config/references.bib").write_text(bib)
    cache = tmp_path / "refs.json"
    first = list(load_references(tmp_path, cache))
    assert first == ["zeta2020", "alpha2019"] and cache.is_file()
    assert list(load_references(tmp_path, cache)) == first  # read back from the cache

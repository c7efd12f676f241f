"""The course credits the lecture it is built from, and its reading list holds the
resources that lecture names and the ones students use alongside, each once, each with
an annotation of its own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generators.site.citations import load_references

REPO = Path(__file__).resolve().parents[1]
LECTURE = ("Deep Learning and Vis", "Bei Wang Phillips", "CS 6965", "Advanced Data Visualization",
           "University of Utah", "Fall 2019")
# Every resource the reading list must hold: a part of its address, what it is.
RESOURCES = {
    "neuralnetworksanddeeplearning.com": "Nielsen, Neural Networks and Deep Learning",
    "ufldl.stanford.edu": "Stanford's UFLDL tutorial",
    "deeplearningbook.org": "Goodfellow, Bengio and Courville, Deep Learning",
    "tensorflow.org/tutorials": "TensorFlow's getting-started guides",
    "playground.tensorflow.org": "TensorFlow Playground",
    "arxiv.org/abs/1506.06579": "Yosinski et al. 2015, the DeepVis paper",
    "github.com/yosinski/deep-visualization-toolbox": "the DeepVis toolbox",
    "youtube.com/watch?v=AgkfIQ4IGaM": "the DeepVis toolbox video",
    "10.1109/TVCG.2017.2744878": "Wongsuphasawat et al. 2018, the TensorFlow Graph Visualizer",
    "cs231n.github.io": "the CS231n notes",
    "poloclub.github.io/cnn-explainer": "CNN Explainer (Wang et al. 2020)",
    "distill.pub/2017/feature-visualization": "Olah et al. 2017, Feature Visualization",
    "distill.pub/2017/momentum": "Goh 2017, Why Momentum Really Works",
}


@pytest.mark.parametrize("page", ["content/index.md", "content/instructors.md"])
def test_the_home_and_instructors_pages_credit_the_lecture(page: str) -> None:
    text = " ".join((REPO / page).read_text(encoding="utf-8").split())
    missing = [part for part in LECTURE if part not in text]
    assert not missing, f"{page} does not credit the lecture: missing {missing}"


def test_the_reading_list_holds_every_named_resource_once_with_its_own_annotation() -> None:
    refs = load_references(REPO)
    urls = {key: ref.url for key, ref in refs.items()}
    missing = [what for part, what in RESOURCES.items() if not any(part in url for url in urls.values())]
    assert not missing, f"the reading list lacks: {missing}"
    twice = [url for url, n in Counter(u.rstrip("/") for u in urls.values()).items() if n > 1]
    assert not twice, f"listed twice: {twice}"
    notes = Counter(ref.annotation for ref in refs.values())
    assert all(n == 1 for n in notes.values()), [a for a, n in notes.items() if n > 1]
    short = [key for key, ref in refs.items() if len(ref.annotation.split()) < 12]
    assert not short, f"annotations too short to say what the reader gets: {short}"

"""The course's figures, its NumPy library, and the machinery that turns them into a site.

``python -m generators`` runs every figure generator that is out of date and writes
what they make into ``content/generated/``; ``python -m generators.site build`` then
expands the course into plain Markdown and renders it (what ``make`` runs).

Layout:
    <lesson>/      one module per figure generator, named ``fig_*.py``: what contributors touch
    nn/            the course's NumPy neural-network library: what students read
    figure.py      how a generator declares its figures, parameters and results
    style.py       the light and dark matplotlib themes every figure is drawn in
    build/         the figure pipeline: jobs, cache, publishing, notebooks
    site/          the expand step, citations, course file, maths, and the engines' runner
"""

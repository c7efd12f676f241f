"""The course's figure pipeline and figure generators.

``python -m generators`` runs every figure generator that is out of date and writes
what they make into ``content/generated/`` (see ``generators/pipeline.py``).

Layout:
    figure.py      how a generator declares its figures, parameters and results
    deps.py        which repository files a generator depends on (import closure)
    cache.py       cache keys and manifests (content hashes, never file times)
    pipeline.py    discovery, parallel runs, atomic publishing, the figure index
    overrides.py   instructors' parameter overrides from ``site_config/figures.yml``
    style.py       the light and dark matplotlib themes every figure is drawn in
    nn/            the course's NumPy neural-network library
    <lesson>/      one module per figure generator, named ``fig_*.py``
"""

"""The figure pipeline behind ``python -m generators``: build machinery, not lesson code.

    pipeline.py    discovery, parallel runs, atomic publishing, the figure index
    jobs.py        the units of work: figure generators, lesson notebooks, notebook pages
    runner.py      worker processes: time limits, dead workers, Ctrl-C (pebble)
    worker.py      what a worker does around each job: signals, memory limit, clean-up
    progress.py    what the build prints: one line when idle, a bar or plain lines
    render.py      one generator in a worker: compute, draw in both themes, save
    notebooks.py   lesson notebooks and instructors' notebook pages (nbformat, nbclient)
    cache.py       cache keys and manifests (content hashes, never file times)
    deps.py        which repository files a generator depends on (import closure)
    publish.py     the object store, ``content/generated/`` and its index
    overrides.py   instructors' parameter overrides from ``site_config/figures.yml``
    yamlfile.py    YAML files read with errors that name the file and line

Contributors rarely need to open this package: a figure is declared with
``generators.figure`` and drawn with ``generators.style``.
"""

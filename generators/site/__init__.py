"""From the course's sources to a site: build machinery, engine-free, not lesson code.

    expand.py          the expand step: content/ + content/generated/ + site_config/ ->
                       build/docs/ (plain Markdown) and build/engine.yml
    refs.py            {{ figure }}, {{ result }}, {{ explorer }}, {{ course }}, {{ schedule }}
    citations.py       [@key] citations, "Further reading", the reading list (pybtex)
    course.py          site_config/course.yml: checks, engine settings, navigation, schedule
    maths.py           LaTeX -> MathML (latex2mathml), each formula converted once
    markdown_math.py   the Python-Markdown extension both engines run: maths to MathML
    engine.py          render build/docs/ with MkDocs or Zensical; publish site/ whole
    serve.py           live preview: regenerate what changed, the engine reloads the page

``python -m generators.site build|expand|serve`` (``__main__.py``) is what ``make`` runs.
"""

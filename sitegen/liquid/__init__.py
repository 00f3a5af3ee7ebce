"""Liquid in posts and pages, rendered before Markdown as Jekyll does (python-liquid underneath).

    site.py       LiquidSite: the environment, the include folders, site.* (and _data/) for one build
    render.py     render_body(site, page, text) -> LiquidResult: text, line origins, fragments, diagnostics
    environment.py, state.py   the Jekyll-flavoured environment; what one render collects
    includes.py, include_tag.py, tags.py   include folders and the tags; filters.py, data_filters.py
    variables.py, data.py   page.* and site.*; _data/ files
    fragments.py  theme-written HTML kept out of the author's sanitiser, put back after Markdown
    diagnostics.py  Liquid errors as Diagnostics at the post's line, with did-you-mean

This package imports nothing of the pipeline but errors, urls, html_policy, frontmatter and theme."""

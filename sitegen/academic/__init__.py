"""A scientist's bibliography: BibTeX files read into entries (`bibtex`), entries as CSL-JSON (`csl`),
formatted in a CSL style (`style`), the /publications/ page (`publications`) and Pandoc-style citations
in posts (`citations`). `load_bibliography` (in `bibliography`) runs once per build; what it returns is
frozen and picklable, so posts converted in worker processes get it whole."""

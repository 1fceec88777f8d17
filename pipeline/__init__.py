"""The site's build pipeline, callable without MkDocs.

``python -m pipeline --help`` lists the steps: vendoring the pinned runtime
(Pyodide, numpy, Vega), building our wheel for Pyodide with a trimmed lock file,
and prerendering calculator pages. The MkDocs hook in ``overrides/hooks`` is a
thin adapter over these functions.
"""

"""Calculators of the ML Teams Playbook.

Pure computation with numpy: each module validates its input, computes, and
returns a frozen dataclass whose ``to_dict()`` is plain JSON. The same code runs
at build time (prerendered pages), in the browser under Pyodide, in notebooks
and on the command line (``python -m calculators``).
"""

from .api import compute
from .errors import DataFileError, FieldError, InputError
from .timeline import TimelineResult, simulate

__version__ = "0.1.0"

__all__ = ["DataFileError", "FieldError", "InputError", "TimelineResult", "__version__", "compute", "simulate"]

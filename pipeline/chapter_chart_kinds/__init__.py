"""The chapter charts, one record each: the keys its table needs, its checks, its drawing.

Each ``@chart(...)`` in these modules registers one
:class:`~pipeline.chart_record.ChapterChart` in :data:`pipeline.chart_record.CHARTS`
when the module is imported; importing this package registers them all.

- ``teams.py``: roles by skill, archetypes by design choice, feedback by effort;
- ``plans.py``: planned against measured progress, tasks by likelihood and importance;
- ``drawing.py``: what their drawings share.

To add a chart: write its table in ``docs/_data/charts.toml``, one ``@chart``
in one of these modules (schema, checks and drawing together), and a
``<!-- chart: NAME -->`` line in a chapter.
"""

from . import plans, teams
from .plans import risk_matrix

__all__ = ["plans", "risk_matrix", "teams"]

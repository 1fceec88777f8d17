"""Probabilistic timeline of an ML project.

A plan is a list of tasks. Each task has a three-point estimate of its duration
(optimistic, most likely, pessimistic), a chance of success and an importance,
and may depend on other tasks. Tasks that share a ``group`` are alternative
approaches to one goal (say, fine-tuning a pretrained model *or* training a small
model from scratch): the goal is reached if any of them works.

The simulator draws every task's duration and success ``trials`` times and
propagates them through the dependency graph, all trials at once with numpy.
It reports the chance the project works at all, when it finishes if it works,
which tasks to de-risk first, what the alternative approaches buy, and how
progress is likely to look over time.

The three numbers
-----------------
They belong together, and every text of the simulator states each with its condition:

1. the chance it works at all (``p_success``): the share of all runs in which
   every required task (or one approach of each group) succeeds;
2. when it finishes if it works (``duration["p85"]``, the P85 of successful
   runs): the time by which 85% of the *successful* runs are done; not an 85%
   chance overall;
3. the chance of having shipped by a time W (``p_by_deadline`` for the
   deadline): the share of *all* runs that worked and were done by W, that is
   the chance it works times the chance a successful run is done by W.

Model
-----
* A task starts when everything it depends on has finished; a task with no
  dependencies starts at time 0. A task's failure is discovered when its
  duration is over.
* A failed task that is not in a group makes the project fail.
* ``group_mode="parallel"`` (default): a group's members all start as soon as
  their own dependencies allow and run side by side; the group succeeds if any
  member succeeds and finishes when its *earliest successful* member finishes.
* ``group_mode="sequential"``: members are tried one after another in the order
  they are listed; the next one starts only when the previous one has failed
  (at the end of its duration, and not before its own dependencies are done).
  The group finishes when the first successful member finishes.
* Anything that depends on a group id waits for the group. Tasks cannot depend
  on a single member of a group (depend on the group instead), and members of
  one group cannot depend on each other.
* Durations are PERT-beta (``alpha = 1 + 4 (m - o) / (p - o)``,
  ``beta = 1 + 4 (p - m) / (p - o)``, mean ``(o + 4m + p) / 6``) or triangular
  (mean ``(o + m + p) / 3``).

Random numbers
--------------
Each task draws from its own ``numpy.random.Generator`` seeded with the plan's
``seed`` and the task's id. Editing, adding or removing one task therefore
leaves every other task's draws unchanged (common random numbers): a change in
the answer comes from the change in the plan, not from reshuffled noise. The
same plan and seed give the same result under CPython and Pyodide.

Risk measures (per task, see :class:`TimelineResult`)
-----------------------------------------------------
``criticality``
    Share of successful trials in which the task is on the critical path (zero
    slack in a backward pass; a failed member of a sequential group that
    delayed the winner counts, the losing members of a parallel group do not).
``p85_shift``
    How much earlier the P85 of the successful runs would be if this task always took its
    optimistic time: the same sampled durations, this task's replaced, the
    graph re-propagated (no resampling).
``sinks``
    Share of all trials in which this task failed and its failure sank the
    project: for a task outside a group, every trial in which it fails; for a
    member of a group, the trials in which it and every other member failed.
``risk_score``
    ``importance / 5 * (sinks + p85_shift / P85)``: the chance the task sinks
    the project plus the share of the P85 of successful runs (the date 85% of
    the runs that succeed meet) its uncertainty is responsible for, weighted by
    how much the task matters. Tasks are listed by
    this score, highest first ("de-risk first").

Modules
-------
One job each, imports pointing down the list: ``knowledge`` the data file
(example plans as written, the likelihood/importance matrix); ``inputs``
validation, returning the frozen, indexed :class:`Plan` (``_inputs_plan`` its
graph checks); ``model`` the simulation (numpy only, numbers only); ``result``
the result dataclass and the words of the answer; ``view`` the page's blocks
(``_view_matrix`` places the labels of the likelihood/importance chart);
``form`` the page's form, examples and default input; ``charts`` the Altair
templates (build time only). This module only re-exports.
"""

from __future__ import annotations

from .form import CHARTS_MODULE, DESCRIPTION, NAME, TITLE, default_input, examples, form
from .inputs import DEFAULT_SEED, DEFAULT_TRIALS, Plan, Task, parse
from .knowledge import risk_matrix
from .model import COMMITMENT, PERCENTILES, PROGRESS_POINTS
from .result import TimelineResult, compute, from_input, simulate
from .view import render

__all__ = [
    "CHARTS_MODULE",
    "COMMITMENT",
    "DEFAULT_SEED",
    "DEFAULT_TRIALS",
    "DESCRIPTION",
    "NAME",
    "PERCENTILES",
    "PROGRESS_POINTS",
    "TITLE",
    "Plan",
    "Task",
    "TimelineResult",
    "compute",
    "default_input",
    "examples",
    "form",
    "from_input",
    "parse",
    "render",
    "risk_matrix",
    "simulate",
]

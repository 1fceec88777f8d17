"""The plan's structure: tasks, groups of alternatives and dependencies, checked and indexed.

:func:`build` takes tasks whose fields :mod:`.inputs` has read and checks what
needs the whole plan (unknown ids, the rules of groups, cycles), then indexes
the plan for the simulation (:class:`Plan`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from ..errors import Collector


@dataclass(frozen=True)
class Task:
    """One task of a plan (times in the plan's unit)."""

    id: str
    name: str
    optimistic: float
    most_likely: float
    pessimistic: float
    p_success: float = 1.0
    importance: int = 3
    depends_on: tuple[str, ...] = ()
    group: str | None = None
    required: bool = True
    owner: str | None = None
    status: str = "todo"  # todo, doing, done or dropped
    actual: float | None = None  # done: how long it took
    started: float | None = None  # doing: when it began, in the plan's unit from the start
    remaining: tuple[float, float, float] | None = None  # doing: a new estimate of the work left


@dataclass(frozen=True)
class Plan:
    """A validated plan, indexed for the simulation.

    Nodes ``0 .. n-1`` are the tasks (input order), ``n .. n+G-1`` the groups.
    """

    tasks: tuple[Task, ...]
    group_ids: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]  # per group, task indices in listed order
    deps: tuple[tuple[int, ...], ...]  # per task, the nodes it depends on (as written)
    prev: tuple[int | None, ...]  # per task, the previous member in a sequential group
    group_of: tuple[int | None, ...]  # per task, the node of its group
    order: tuple[int, ...]  # every node, prerequisites first
    ends: tuple[int, ...]  # top-level nodes nothing depends on
    top: tuple[int, ...]  # top-level nodes: tasks outside groups, and groups
    descendants: tuple[tuple[int, ...], ...]  # per task, itself and every node downstream, in order
    unit: str
    trials: int
    seed: int
    distribution: str
    deadline: float | None
    group_mode: str
    owners: tuple[str, ...] = ()  # everyone who owns a task, in the order of their first row
    capacity: tuple[int, ...] = ()  # per owner, how many of their tasks run at once
    owner_of: tuple[int, ...] = ()  # per task, the index of its owner, or -1
    required_ends: tuple[int, ...] = ()  # required top-level nodes no required node waits for
    optional: tuple[bool, ...] = ()  # per node (tasks, then groups): optional scope
    start: dt.date | None = None
    as_of: float | None = None
    history: tuple[dict[str, Any], ...] = ()

    @property
    def lanes(self) -> bool:
        """Whether anyone's capacity limits when their tasks start."""
        return bool(self.owners)

    @property
    def progress(self) -> bool:
        """Whether any task is under way, done or dropped, or the plan has a today."""
        return self.as_of is not None or any(t.status != "todo" for t in self.tasks)


@dataclass(frozen=True)
class Options:
    unit: str
    trials: int | None
    seed: int | None
    distribution: str | None
    group_mode: str | None
    deadline: float | None
    capacity: dict[str, int] = field(default_factory=dict)
    start: dt.date | None = None
    as_of: float | None = None
    history: tuple[dict[str, Any], ...] = ()


def _name(t: Task) -> str:
    return t.name if t.name else t.id


def _dependencies(
    c: Collector, tasks: list[Task], index: dict[str, int], gindex: dict[str, int]
) -> list[tuple[int, ...]]:
    """Per task, the nodes it waits for; every rule about groups checked."""
    deps: list[tuple[int, ...]] = []
    for i, t in enumerate(tasks):
        mine: list[int] = []
        fld, who = f"tasks[{i}].depends_on", f"task {t.id!r}"
        for d in t.depends_on:
            if d in index:
                other = tasks[index[d]]
                if other.group and other.group == t.group and d != t.id:
                    c.add(
                        fld,
                        f"{who} and {d!r} are alternatives in group {t.group!r}; they cannot depend on each other",
                        reader=f"{_name(t)} and {_name(other)} are alternatives in one group, "
                        "so neither can depend on the other.",
                    )
                elif other.group and d != t.id:
                    c.add(
                        fld,
                        f"{who} depends on {d!r}, one of the alternatives in group {other.group!r}; "
                        f"depend on the group {other.group!r} instead",
                        reader=f"{_name(t)} depends on {_name(other)}, one of several alternatives: "
                        f"make it depend on their group, {other.group}, instead.",
                    )
                mine.append(index[d])
            elif d in gindex:
                mine.append(gindex[d])
            else:
                c.add(
                    fld,
                    f"{who} depends on unknown task or group {d!r}",
                    reader=f"Depends on for {_name(t)} names {d}, which is not the id of a task or group.",
                )
        deps.append(tuple(mine))
    return deps


def _scope(
    c: Collector, tasks: list[Task], group_ids: list[str], members: list[tuple[int, ...]], deps: list[tuple[int, ...]]
) -> None:
    """Optional scope: a group's approaches are all required or all optional, a required task waits for no
    optional one, and at least one task is required."""
    n = len(tasks)
    for g, mem in zip(group_ids, members):
        if len({tasks[m].required for m in mem}) > 1:
            c.add(
                f"tasks[{mem[0]}].required",
                f"the alternatives in group {g!r} must be all required or all optional",
                reader=f"The alternatives in group {g} must be all required or all optional.",
            )
    for i, t in enumerate(tasks):
        if not t.required:
            continue
        for d in deps[i]:
            other_required = tasks[d].required if d < n else tasks[members[d - n][0]].required
            if not other_required:
                shown = _name(tasks[d]) if d < n else group_ids[d - n]
                c.add(
                    f"tasks[{i}].required",
                    f"task {t.id!r} is required but waits for {shown!r}, which is optional",
                    reader=f"{_name(t)} is required but waits for {shown}, which is optional. Make {_name(t)} "
                    f"optional too, or make {shown} required.",
                )
    if tasks and not any(t.required for t in tasks):
        c.add(
            "tasks",
            "at least one task must be required",
            reader="At least one task must be required: the plan's finish is when its required tasks are done.",
        )


def _toposort(names: list[str], prereq: list[list[int]]) -> tuple[list[int], list[str]]:
    """Nodes in dependency order, or ``([], cycle)`` naming a cycle ``a -> b -> a``."""
    state = [0] * len(names)  # 0 new, 1 on the current path, 2 done
    order: list[int] = []
    path: list[int] = []

    def visit(v: int) -> list[int] | None:
        if state[v] == 2:
            return None
        if state[v] == 1:
            return [*path[path.index(v) :], v]
        state[v] = 1
        path.append(v)
        for d in prereq[v]:
            cyc = visit(d)
            if cyc:
                return cyc
        path.pop()
        state[v] = 2
        order.append(v)
        return None

    for v in range(len(names)):
        cyc = visit(v)
        if cyc:
            # report it in the direction work flows: "a -> b" means b waits for a
            return [], [names[u] for u in reversed(cyc)]
    return order, []


def build(c: Collector, tasks: list[Task], opts: Options) -> Plan:
    """Check what needs the whole plan and index it; raise InputError (via ``c``) on any problem."""
    n = len(tasks)
    index = {t.id: i for i, t in enumerate(tasks)}
    group_ids = list(dict.fromkeys(t.group for t in tasks if t.group))
    gindex = {g: n + j for j, g in enumerate(group_ids)}
    members = [tuple(i for i, t in enumerate(tasks) if t.group == g) for g in group_ids]
    for g, mem in zip(group_ids, members):
        if g in index:
            c.add(
                f"tasks[{mem[0]}].group",
                f"group id {g!r} is also a task id; give the group its own id",
                reader=f"Group for {_name(tasks[mem[0]])} is also the id of a task; give the group its own id.",
            )
    deps = _dependencies(c, tasks, index, gindex)
    _scope(c, tasks, group_ids, members, deps)
    c.raise_if_any()
    names = [t.id for t in tasks] + group_ids
    prereq = [list(d) for d in deps] + [list(m) for m in members]
    order, cycle = _toposort(names, prereq)
    if cycle:
        first = next((index[v] for v in cycle if v in index), 0)
        shown = [_name(tasks[index[v]]) if v in index else v for v in cycle]
        c.add(
            f"tasks[{first}].depends_on",
            "dependency cycle: " + " -> ".join(cycle),
            reader="These tasks wait for each other in a circle: " + " -> ".join(shown) + ". Remove one dependency.",
        )
        c.raise_if_any()
    return _index(tasks, group_ids, members, deps, prereq, names, order, opts)


def _index(
    tasks: list[Task],
    group_ids: list[str],
    members: list[tuple[int, ...]],
    deps: list[tuple[int, ...]],
    prereq: list[list[int]],
    names: list[str],
    order: list[int],
    opts: Options,
) -> Plan:
    """The validated plan indexed for the simulation: order, ends, successors and what lies downstream."""
    n = len(tasks)
    gindex = {g: n + j for j, g in enumerate(group_ids)}
    prev: list[int | None] = [None] * n
    if opts.group_mode == "sequential":
        for mem in members:
            for a, b in itertools.pairwise(mem):
                prev[b] = a
                prereq[b].append(a)
        order, _ = _toposort(names, prereq)  # chain edges cannot close a cycle: members only feed their group
    succ: list[list[int]] = [[] for _ in names]
    for v, ps in enumerate(prereq):
        for u in ps:
            succ[u].append(v)
    top = [v for v in range(len(names)) if v >= n or not tasks[v].group]
    ends = [v for v in top if not succ[v]]
    pos = {v: k for k, v in enumerate(order)}
    descendants = []
    for k in range(n):
        reach, stack = {k}, [k]
        while stack:
            for w in succ[stack.pop()]:
                if w not in reach:
                    reach.add(w)
                    stack.append(w)
        descendants.append(tuple(sorted(reach, key=pos.__getitem__)))
    group_of = tuple(gindex[t.group] if t.group else None for t in tasks)
    owners = tuple(dict.fromkeys(t.owner for t in tasks if t.owner))
    optional = tuple(not t.required for t in tasks) + tuple(not tasks[m[0]].required for m in members)
    required_succ = [[w for w in succ[v] if not optional[w]] for v in range(len(names))]
    required_ends = tuple(v for v in top if not optional[v] and not required_succ[v])
    assert opts.trials is not None and opts.seed is not None and opts.distribution and opts.group_mode
    return Plan(
        tuple(tasks),
        tuple(group_ids),
        tuple(members),
        tuple(deps),
        tuple(prev),
        group_of,
        tuple(order),
        tuple(ends),
        tuple(top),
        tuple(descendants),
        opts.unit,
        opts.trials,
        opts.seed,
        opts.distribution,
        opts.deadline,
        opts.group_mode,
        owners=owners,
        capacity=tuple(opts.capacity.get(o, 1) for o in owners),
        owner_of=tuple(owners.index(t.owner) if t.owner else -1 for t in tasks),
        required_ends=required_ends,
        optional=optional,
        start=opts.start,
        as_of=opts.as_of,
        history=opts.history,
    )

"""The plan's structure: tasks, groups of alternatives and dependencies, checked and indexed.

:func:`build` takes tasks whose fields :mod:`.inputs` has read and checks what
needs the whole plan (unknown ids, the rules of groups, cycles), then indexes
the plan for the simulation (:class:`Plan`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Options:
    unit: str
    trials: int | None
    seed: int | None
    distribution: str | None
    group_mode: str | None
    deadline: float | None


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
    )

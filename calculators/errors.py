"""Input errors that name the offending field.

Every calculator validates its whole input first and raises :class:`InputError`
with one entry per problem. The page shows each message next to its field (the
``field`` is a path such as ``tasks[2].pessimistic`` or ``answers.reporting``),
the command line prints them, and the Python API user gets a ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    Examples
    --------
    >>> FieldError("tasks[0].pessimistic", "pessimistic (2) is below most likely (3)").to_dict()["reader"]
    'pessimistic (2) is below most likely (3)'
    >>> FieldError("share_correct", "share_correct (90) must be between 0.01 and 0.999",
    ...            reader="Share of correct outputs must be between 1% and 99.9%.").to_dict()["reader"]
    'Share of correct outputs must be between 1% and 99.9%.'

    """

    field: str
    message: str
    #: What the page shows next to the field: the field's label as the reader sees
    #: it, a task's or question's name (never an id or a path), the allowed range
    #: in the field's units. Empty means ``message`` is already in the reader's words.
    reader: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "reader": self.reader or self.message}


class InputError(ValueError):
    """Invalid calculator input; ``errors`` lists every problem found.

    Examples
    --------
    >>> err = InputError([FieldError("trials", "trials (5) must be at least 100")])
    >>> str(err)
    'trials: trials (5) must be at least 100'
    >>> err.errors[0].field
    'trials'
    """

    def __init__(self, errors: list[FieldError] | FieldError | str, field: str = "") -> None:
        if isinstance(errors, str):
            errors = [FieldError(field, errors)]
        elif isinstance(errors, FieldError):
            errors = [errors]
        if not errors:
            raise ValueError("InputError needs at least one FieldError")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in self.errors))

    def to_dict(self) -> dict[str, object]:
        return {"message": str(self), "fields": [e.to_dict() for e in self.errors]}


class Collector:
    """Gather field errors during validation, then raise them all at once.

    Examples
    --------
    >>> c = Collector()
    >>> c.add("seed", "seed (-1) must be 0 or more")
    >>> c.raise_if_any()
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: seed: seed (-1) must be 0 or more
    """

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, *, reader: str = "") -> None:
        """Record a problem: ``message`` for programs (path-based), ``reader`` for the page."""
        self.errors.append(FieldError(field, message, reader))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.errors)


class DataFileError(ValueError):
    """A knowledge file under ``calculators/data`` is malformed.

    The message names the file, the entry and the problem, so that a fork that
    edits a data file sees exactly what to fix when the build stops.

    Examples
    --------
    >>> err = DataFileError("calculators/data/archetypes.toml", "archetype 'rnd'", "'name' is empty")
    >>> str(err)
    "calculators/data/archetypes.toml: archetype 'rnd': 'name' is empty"
    >>> err.file, err.entry
    ('calculators/data/archetypes.toml', "archetype 'rnd'")
    """

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {problem}")

"""Command line: ``python -m calculators NAME --input FILE`` (JSON in, JSON out)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import __version__
from ._contract import get, names
from .api import compute
from .errors import DataFileError, InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="Calculators of the ML Teams Playbook. Each reads one JSON object and prints the result as JSON.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
    for name in names():
        about = get(name).DESCRIPTION
        p = sub.add_parser(name, help=about, description=about)
        p.add_argument(
            "--input",
            "-i",
            default="-",
            metavar="FILE",
            help="JSON file with the input object, or - for standard input (default: -)",
        )
        p.add_argument("--indent", type=int, default=2, help="indentation of the JSON output (default: 2)")
    return parser


def _read(path: str) -> Any:
    if path == "-":
        return json.loads(sys.stdin.read())
    with open(path, encoding="utf-8") as fh:
        return json.loads(fh.read())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        data = _read(args.input)
    except OSError as exc:
        print(f"error: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"error: {args.input} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    try:
        out = compute(args.calculator, data)
    except InputError as exc:
        for err in exc.errors:
            print(f"error: {err.field}: {err.message}" if err.field else f"error: {err.message}", file=sys.stderr)
        return 1
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(out["result"], indent=args.indent or None, allow_nan=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

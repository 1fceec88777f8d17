"""``python -m pipeline STEP``: the build steps, without MkDocs."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("vendor", help="fetch, verify and lay out the pinned runtime under build/site-assets")
    sub.add_parser("bundle", help="build the calculators wheel for Pyodide and the site's lock file")
    p = sub.add_parser("prerender", help="print the default results of the named calculators as JSON")
    p.add_argument("names", nargs="+")
    p = sub.add_parser("pin", help="print the pins of an npm package at the version in runtime.toml")
    p.add_argument("package")
    args = parser.parse_args(argv)
    if args.step == "vendor":
        from .vendor import vendor

        print(json.dumps(vendor(), indent=1))
    elif args.step == "bundle":
        from .pybundle import build

        print(build())
    elif args.step == "prerender":
        from .prerender import main as prerender

        prerender(args.names)
    elif args.step == "pin":
        from .vendor import pin

        pin(args.package)
    return 0


if __name__ == "__main__":
    sys.exit(main())

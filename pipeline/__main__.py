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
    p = sub.add_parser("preview", help="serve the built site/ with the headers of deploy/_headers, as a host would")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--base", default="/", help="the folder the site is published in, e.g. /REPOSITORY/")
    p.add_argument("--site", default="site", help="the built site (default: site)")
    p = sub.add_parser("company", help="check this fork's overlay (company/) and list what it changes, in words")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="validate the overlay and list its changes (the default)")
    what.add_argument("--init", action="store_true", help="write a starter company/ with commented examples")
    what.add_argument("--knowledge", action="store_true", help="merge and validate the overlay's data files only")
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
    elif args.step == "company":
        from .company import main as company

        return company(args)
    elif args.step == "preview":
        return preview(args.site, port=args.port, base=args.base)
    return 0


def preview(site: str, *, port: int, base: str) -> int:
    from pathlib import Path

    from .devserver import SiteServer

    root = Path(site)
    if not (root / "index.html").is_file():
        print(f"{root} has no built site: run `make build` first", file=sys.stderr)
        return 2
    server = SiteServer(root, port=port, base=base)
    print(
        f"Serving {root} at {server.url} with the headers of deploy/_headers (Ctrl+C stops). "
        f"Instant navigation needs the site built for this address: SITE_URL={server.url} make build"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

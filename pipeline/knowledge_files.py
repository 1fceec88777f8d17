"""The merged knowledge as files: what the browser's wheel carries when a fork has an overlay.

``calculators/_data.py`` merges ``company/data/<name>.toml`` over each data file
where the knowledge is loaded; the browser has no checkout around its wheel, so
the build writes the merged tables into the wheel in place of upstream's files
(:func:`into_wheel`). One merge, one validation, the same knowledge everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

from calculators._overlay import dump_toml

from .paths import REPO

__all__ = ["dump_toml", "into_wheel", "merged_texts"]

DATA = REPO / "calculators" / "data"


def merged_texts(root: Path | None = None) -> dict[str, str]:
    """``{file name: merged TOML text}`` for each calculators data file the overlay changes."""
    from calculators import _data, _overlay

    # This checkout's company/, named here: the process may have imported `calculators` from another clone.
    root = REPO / "company" if root is None else root
    out = {}
    for path in sorted(DATA.glob("*.toml")):
        if _overlay.overlay_path(path.name, root=root) is None:
            continue
        label = f"calculators/data/{path.name}"
        upstream = _data.Reader(label).parse(path.read_text(encoding="utf-8"))
        table = _data.merged(upstream, path.name, label, root)
        if table == upstream:
            continue  # the overlay changes nothing here (a starter's comments): upstream's file stays
        head = (
            f"# {label} with company/data/{path.name} merged over it, by the build (pipeline/knowledge_files.py).\n\n"
        )
        out[path.name] = head + dump_toml(table)
    return out


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def into_wheel(wheel: Path, texts: dict[str, str] | None = None) -> list[str]:
    """Replace ``calculators/data/<name>`` in ``wheel`` by the merged text (RECORD kept true); names replaced."""
    texts = merged_texts() if texts is None else texts
    if not texts:
        return []
    with zipfile.ZipFile(wheel) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    replaced = {f"calculators/data/{name}": text.encode() for name, text in texts.items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename in replaced:
                data = replaced[info.filename]
            elif info.filename.endswith(".dist-info/RECORD"):
                rows = []
                for row in data.decode().splitlines():
                    name = row.split(",", 1)[0]
                    if name in replaced:
                        row = f"{name},{_record_hash(replaced[name])},{len(replaced[name])}"
                    rows.append(row)
                data = ("\n".join(rows) + "\n").encode()
            dst.writestr(info, data)
    wheel.write_bytes(buf.getvalue())
    return sorted(replaced)

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
import json
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from .paths import REPO

DATA = REPO / "calculators" / "data"


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_array_of_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict) and any(isinstance(x, dict) or _is_array_of_tables(x) for x in v.values())


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text for parsed TOML data (comments are not kept; the data is).

    >>> data = {"a": 1, "t": {"x": "y"}, "q": [{"id": "a", "answer": [{"id": "b", "at": {"d": 0.5}}]}]}
    >>> tomllib.loads(dump_toml(data)) == data
    True
    """
    out: list[str] = []

    def body(table: dict[str, Any], path: list[str]) -> None:
        for k, v in table.items():
            if not _is_table(v) and not _is_array_of_tables(v):
                out.append(f"{_key(k)} = {_value(v)}")
        for k, v in table.items():
            name = ".".join(_key(p) for p in [*path, k])
            if _is_table(v):
                out.extend(["", f"[{name}]"])
                body(v, [*path, k])
            elif _is_array_of_tables(v):
                for item in v:
                    out.extend(["", f"[[{name}]]"])
                    body(item, [*path, k])

    body(data, [])
    text = "\n".join(out).lstrip("\n") + "\n"
    if tomllib.loads(text) != data:
        raise ValueError("the merged knowledge does not survive a TOML round trip")
    return text


def merged_texts(root: Path | None = None) -> dict[str, str]:
    """``{file name: merged TOML text}`` for each calculators data file the overlay changes."""
    from calculators import _data, _overlay

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

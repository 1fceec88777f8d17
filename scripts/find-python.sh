#!/bin/sh
# Print the path of a Python 3.12 on this machine, or explain what to install.
# 3.12 exactly: the pinned Pyodide (pipeline/runtime.toml) runs CPython 3.12, and our wheel is byte-compiled
# for it by the same interpreter. Looks at PYTHON (if set), python3.12 and python3
# on PATH, then pyenv's, uv's and common install folders.
ok() { "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }
for c in "${PYTHON:-}" python3.12 python3 python; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then "$p" -c 'import sys; print(sys.executable)'; exit 0; fi
done
for p in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3 "$HOME"/.local/share/uv/python/*3.12*/bin/python3 \
              /usr/local/bin/python3.12 /usr/bin/python3.12 /opt/python/3.12*/bin/python3 2>/dev/null | sort -rV); do
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "No Python 3.12 (with venv and ensurepip) was found: install one (e.g. 'apt-get install python3.12-venv', 'pyenv install 3.12', or from python.org) or set PYTHON=/path/to/python3.12." >&2
exit 1

"""Where a command's CPU time goes, by kind of process (Linux only).

    python3 scripts/cpu_by_process.py -- make test
    python3 scripts/cpu_by_process.py -- .venv/bin/python -m pytest -n 2 --dist loadgroup tests/browser

Runs the command and, twice a second, reads ``/proc`` for every process below it
(Chromium's renderers, the pytest workers, Firefox, the notebook kernels...), keeping
each one's last user+system time. At the end it prints the CPU seconds by kind of
process, the wall time, and how busy the machine's cores were on average. A process
that lives less than half a second between two reads is missed, so the totals are a
little low. It measured why ``make test`` runs two workers, not three: the suite is
bound by Chromium's CPU (README, "make test").
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def kind(cmdline: bytes) -> str:
    """A short name for a process, from its command line."""
    text = cmdline.replace(b"\0", b" ")
    if b"chromium" in text or b"chrome" in text:
        for part in (b"renderer", b"gpu-process", b"utility", b"zygote"):
            if b"--type=" + part in text:
                return f"chromium {part.decode()}"
        return "chromium browser"
    for needle, name in ((b"firefox", "firefox"), (b"WebKit", "webkit"), (b"node", "node"), (b"ipykernel", "kernels")):
        if needle in text:
            return name
    if b"python" in text:
        return "python (pytest, its workers, builds)"
    return text.split(b" ", 1)[0].rsplit(b"/", 1)[-1].decode(errors="replace") or "?"


def snapshot() -> dict[int, tuple[int, float]]:
    """``{pid: (parent pid, CPU seconds)}`` of every process now running."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return out


def busy_ticks() -> tuple[int, int]:
    with open("/proc/stat", encoding="utf-8") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv or not os.path.isdir("/proc"):
        print(__doc__.strip().splitlines()[0] + "\nusage: cpu_by_process.py -- COMMAND [ARG...] (Linux)")
        return 2
    start, (busy0, total0) = time.monotonic(), busy_ticks()
    child = subprocess.Popen(argv)
    cpu: dict[int, float] = {}
    names: dict[int, str] = {}
    while True:
        procs = snapshot()
        for pid, (_, seconds) in procs.items():
            up, seen = pid, set()
            while up in procs and up not in seen and up != child.pid:
                seen.add(up)
                up = procs[up][0]
            if up != child.pid:
                continue
            if pid not in names:
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as fh:
                        names[pid] = kind(fh.read())
                except OSError:
                    continue
            cpu[pid] = seconds
        if child.poll() is not None:
            break
        time.sleep(0.5)
    wall = time.monotonic() - start
    busy1, total1 = busy_ticks()
    by_kind: dict[str, float] = collections.defaultdict(float)
    for pid, seconds in cpu.items():
        by_kind[names[pid]] += seconds
    print(f"\n{'CPU s':>9}  kind of process  (command: {' '.join(argv)}; exit {child.returncode})")
    for name, seconds in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print(f"{seconds:9.1f}  {name}")
    print(f"{sum(by_kind.values()):9.1f}  in all, over {wall:.0f} s of wall time on {os.cpu_count()} cores")
    print(f"machine busy {100 * (busy1 - busy0) / max(1, total1 - total0):.0f}% of the time (every process counted)")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

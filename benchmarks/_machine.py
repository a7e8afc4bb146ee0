"""The machine line printed with benchmark tables (cores, CPU model, RAM, Python, load at start)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _proc(name: str) -> list[str]:
    path = Path("/proc") / name
    return path.read_text().splitlines() if path.exists() else []


def machine() -> str:
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in _proc("cpuinfo") if ln.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    mem = next(
        (int(ln.split()[1]) // 1024 // 1024 for ln in _proc("meminfo") if ln.startswith("MemTotal")), 0
    )
    load = f", load average {os.getloadavg()[0]:.1f} at start" if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()} cores, {cpu}, {mem} GiB RAM, Python {platform.python_version()}{load}"

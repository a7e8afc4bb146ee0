"""The machine line printed with benchmark tables (cores, CPU model, RAM, Python version)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(ln.split()[1]) // 1024 // 1024
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        ),
        0,
    )
    return f"{os.cpu_count()} cores, {cpu}, {mem} GiB RAM, Python {platform.python_version()}"

"""Benchmark: the web workspace under 20 concurrent logged-in sessions (target: p95 < 150 ms).

    uv run --frozen python benchmarks/bench_web.py                 # starts `gyeolsan serve --demo` itself
    uv run --frozen python benchmarks/bench_web.py --append docs/benchmarks.md
    uv run --frozen python benchmarks/bench_web.py --url http://127.0.0.1:8000 --data-dir data

Each session logs in (demo users, round robin), then requests the dashboard and the settlement table
alternately (``--requests`` each), with a short random pause between requests (``--think``, like an
officer reading the page). Threads + ``http.client``, keep-alive, loopback only. Prints a Markdown
table with the machine and date; ``--append`` adds it to the benchmarks page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = ("writer", "approver", "coordinator", "viewer", "admin")
TARGET_MS = 150.0


def machine() -> str:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


class Session:
    """One officer's browser: a keep-alive connection and the session cookie."""

    def __init__(self, base: str):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Connection": "keep-alive",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return response.status, text

    def login(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SystemExit("login page without CSRF token")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        status, _ = self.request("POST", "/login/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login failed for {username} ({status})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GYEOLSAN_DATA_DIR"] = str(data_dir)
    cmd = [
        sys.executable,
        "-c",
        "from gyeolsan.cli import main; main()",
        "serve",
        "--demo",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def run(
    base: str, passwords: dict[str, str], sessions: int, requests: int, think: tuple[float, float]
) -> tuple[dict[str, list[float]], float]:
    probe = Session(base)
    probe.login("viewer", passwords["viewer"])
    _, home = probe.request("GET", "/")
    pk = re.search(r'href="/s/(\d+)/"', home)
    if pk is None:
        raise SystemExit("no settlement visible to the demo viewer")
    pages = {"dashboard": f"/s/{pk.group(1)}/", "table": f"/s/{pk.group(1)}/table/"}
    for path in pages.values():  # warm caches (findings of the current revision)
        probe.request("GET", path)
    clients = []
    for i in range(sessions):
        s = Session(base)
        user = USERS[i % len(USERS)]
        s.login(user, passwords[user])
        clients.append(s)
    timings: dict[str, list[float]] = {name: [] for name in pages}
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(sessions)

    def work(s: Session, seed: int) -> None:
        rnd = random.Random(seed)
        barrier.wait()
        for n in range(requests * len(pages)):
            name = list(pages)[n % len(pages)]
            start = time.perf_counter()
            status, _ = s.request("GET", pages[name])
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings[name].append(elapsed)
                if status != 200:
                    errors.append(f"{name}: {status}")
            time.sleep(rnd.uniform(*think))

    threads = [threading.Thread(target=work, args=(s, i)) for i, s in enumerate(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return timings, wall


def report(
    timings: dict[str, list[float]], wall: float, sessions: int, think: tuple[float, float], database: str
) -> str:
    total = sum(len(v) for v in timings.values())
    lines = [
        f"Machine: {machine()}; date {date.today().isoformat()}; database {database}",
        "",
        f"{sessions} concurrent logged-in sessions, {total} requests in {wall:.1f} s "
        f"({total / wall:.0f} req/s), pause {think[0]:.1f}–{think[1]:.1f} s between a session's requests",
        "",
        "| page | requests | p50 | p95 | p99 | max | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, values in timings.items():
        p95 = percentile(values, 95)
        ok = "✔" if p95 < TARGET_MS else "✖"
        lines.append(
            f"| {name} | {len(values)} | {statistics.median(values):.0f} ms | {p95:.0f} ms | "
            f"{percentile(values, 99):.0f} ms | {max(values):.0f} ms | p95 < {TARGET_MS:.0f} ms {ok} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per page and session")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--url", help="an already running server (demo users)")
    parser.add_argument("--data-dir", type=Path, help="its data folder (for demo-users.json)")
    parser.add_argument("--append", type=Path, help="append the result to this Markdown file")
    args = parser.parse_args()
    think = (args.think[0], args.think[1])
    proc = None
    tmp = None
    try:
        if args.url:
            base, data_dir = args.url.rstrip("/"), args.data_dir or Path("data")
        else:
            tmp = tempfile.TemporaryDirectory(prefix="gyeolsan-bench-")
            data_dir = Path(tmp.name)
            proc, base = start_server(data_dir)
        passwords = json.loads((data_dir / "demo-users.json").read_text(encoding="utf-8"))
        timings, wall = run(base, passwords, args.sessions, args.requests, think)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") and args.url else "SQLite (WAL)"
    text = report(timings, wall, args.sessions, think, database)
    print(text)
    if args.append:
        section = "\n\n## Web workspace (20 sessions)\n\nCommand: `uv run --frozen python benchmarks/bench_web.py`\n\n"
        with args.append.open("a", encoding="utf-8") as fh:
            fh.write(section + text + "\n")
    worst = max(percentile(v, 95) for v in timings.values())
    raise SystemExit(0 if worst < TARGET_MS else 1)


if __name__ == "__main__":
    main()

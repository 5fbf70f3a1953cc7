"""Load test: real HTTP against the app on 127.0.0.1 only, at 1, 4, 16 and 64 concurrent clients.

Starts app.py itself on a free loopback port (so it can read the server's memory), sends bounded
numbers of POST /api/ask requests per level, and writes throughput, latency p50/p95/p99, errors and
peak memory to docs/results/loadtest.json (and prints a table). The server's per-client rate limit is off:
every request comes from the one loopback client.

    .venv/bin/python scripts/loadtest.py [--requests 200] [--seconds 60] [--levels 1 4 16 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Comment retirer mon consentement ?", "vous revendez mes données ?", "combien de temps gardez-vous mes infos",
    "Hoe lang bewaren jullie mijn gegevens?", "verkopen jullie mijn data", "hoe trek ik mijn toestemming in",
    "How do I withdraw my consent?", "do u share my address with sellers", "where is my parcel?",
    "who is the data controller", "cookies?", "mag mijn zoon van 15 een account hebben",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int) -> dict[str, float]:
    """Current and peak resident memory of a process, from /proc (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


async def level(url: str, clients: int, requests: int, seconds: float) -> dict[str, float]:
    """`clients` concurrent clients share `requests` requests, stopping early after `seconds`."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker(worker_id: int) -> None:
            nonlocal sent, errors
            while sent < requests and time.monotonic() < deadline:
                question = QUESTIONS[(sent + worker_id) % len(QUESTIONS)]
                sent += 1
                started = time.perf_counter()
                try:
                    response = await client.post("/api/ask", json={"question": question})
                    ok = response.status_code == 200 and "answer" in response.json()
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += 0 if ok else 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    values = np.array(latencies)
    return {
        "clients": clients, "requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(values, 50)), 1), "p95_ms": round(float(np.percentile(values, 95)), 1),
        "p99_ms": round(float(np.percentile(values, 99)), 1),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--requests", type=int, default=200, help="requests per level (default 200)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per level (default 60)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "results" / "loadtest.json"))
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ASSISTANT_LOG_LEVEL": "WARNING", "ASSISTANT_RATE_LIMIT": ""}
    server = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(360):
            try:
                if httpx.get(f"{url}/api/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            print("error: the app did not start", file=sys.stderr)
            return 1
        idle = memory_mb(server.pid)
        results = []
        for clients in args.levels:
            result = asyncio.run(level(url, clients, args.requests, args.seconds))
            result.update(memory_mb(server.pid))
            results.append(result)
            print(f"{clients:>3} clients: {result['throughput_rps']:>6} req/s  p50 {result['p50_ms']:>7} ms  "
                  f"p95 {result['p95_ms']:>7} ms  p99 {result['p99_ms']:>7} ms  errors {result['errors']}  "
                  f"peak {result['peak_rss_mb']} MB", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {"measured": datetime.now(UTC).isoformat(timespec="seconds"),
              "command": " ".join(["python scripts/loadtest.py", *sys.argv[1:]]), "url": "127.0.0.1 (loopback only)",
              "cpu_cores": os.cpu_count(), "idle_memory": idle, "levels": results}  # fmt: skip
    Path(args.output).write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written: {args.output}")
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run inside a network namespace with no network (see test_offline.py): start the app, use it, report."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import httpx

PORT = 7990
url = f"http://127.0.0.1:{PORT}"
app = subprocess.Popen([sys.executable, "app.py", "--port", str(PORT)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
result: dict[str, object] = {}
try:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    result["health"] = httpx.get(f"{url}/api/health", timeout=5).json()["status"]
    result["page"] = httpx.get(f"{url}/", timeout=10).status_code
    answer = httpx.post(f"{url}/api/ask", json={"question": "Hoe trek ik mijn toestemming in?"}, timeout=30).json()
    result["language"] = answer["language"]
    result["cited"] = [c["section_id"] for c in answer["citations"]]
    # The namespace's network devices: only loopback means nothing outside this machine can be reached.
    result["interfaces"] = sorted(name for _, name in socket.if_nameindex())
finally:
    app.terminate()
    app.wait(timeout=30)
print(json.dumps(result))

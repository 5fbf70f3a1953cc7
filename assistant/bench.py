"""The benchmark: per-stage query timings, cold start, index build time and peak memory."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from assistant.engine import Assistant
from assistant.settings import PROJECT_ROOT, Settings

SAMPLE = [
    "Comment retirer mon consentement ?", "vous revendez mes données ?", "combien de temps gardez-vous mes infos",
    "Hoe lang bewaren jullie mijn gegevens?", "verkopen jullie mijn data", "mag mijn zoon van 15 een account hebben",
    "How do I withdraw my consent?", "do u share my address with sellers", "who is the data controller",
]  # fmt: skip


def questions() -> list[str]:
    """The evaluation questions when they are there (a realistic mix), else a small built-in sample."""
    try:
        from evals.cases import load_cases

        return [c.question for c in load_cases()]
    except Exception:  # the benchmark must run without the evaluation suite too
        return SAMPLE


def percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)), 3),
        "p95": round(float(np.percentile(values, 95)), 3),
        "mean": round(statistics.fmean(values), 3),
    }


def peak_memory_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # ru_maxrss is in KiB on Linux


def time_stages(assistant: Assistant, texts: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Each stage of the pipeline as the answers themselves time it, the encoder's forward pass alone (within
    "retrieve"), and whole answers, in milliseconds."""
    stages: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for text in texts:
            assistant.served.embed.forget()  # each round's answers are new messages, not remembered vectors
            started = time.perf_counter()
            answer = assistant.ask(text)
            stages["total"].append((time.perf_counter() - started) * 1000)
            for name, milliseconds in answer.timings.items():
                stages[name].append(milliseconds)
            started = time.perf_counter()
            assistant.served.embed.encode_queries([text])
            stages["encode"].append((time.perf_counter() - started) * 1000)
    return {name: percentiles(values) for name, values in stages.items()}


def cold_starts(runs: int = 5) -> dict[str, Any]:
    """New processes answering one question from the command line (`python -m assistant ask`), as a customer's
    script would: the median wall time from start to printed answer, and the largest peak memory of one."""
    seconds: list[float] = []
    peaks: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "assistant", "ask", "hoe lang bewaren jullie mijn gegevens?"],
                                 cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use, not all children's
        seconds.append(time.perf_counter() - started)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise RuntimeError(f"python -m assistant ask failed with exit status {child.returncode}")
        peaks.append(usage.ru_maxrss / 1024)
    return {"median_s": round(statistics.median(seconds), 2), "runs_s": [round(s, 2) for s in seconds],
            "peak_memory_mb": round(max(peaks), 1)}  # fmt: skip


def app_ready_seconds(limit: float = 120.0, api_only: bool = False) -> float:
    """`python app.py` (or the JSON API alone, as its worker processes run it) on a free port, from start until
    /api/health/ready says ready."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ASSISTANT_PORT": str(port), "ASSISTANT_HOST": "127.0.0.1"}
    command = ["-m", "uvicorn", "--factory", "app:create_api_app", "--port", str(port)] if api_only else ["app.py"]
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, *command], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while time.perf_counter() - started < limit:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/ready", timeout=1) as response:
                    if response.status == 200:
                        return round(time.perf_counter() - started, 2)
            except OSError:
                pass
            time.sleep(0.05)
        return float("nan")
    finally:
        server.terminate()
        server.wait(timeout=30)


ENCODER_PATHS = ("torch", "onnx-exact", "onnx-q4")


def encoder_paths(texts: list[str]) -> dict[str, dict[str, float]]:
    """Each encoder path in a process of its own (so torch stays out of this one): its load time with imports,
    and one query at a time over the questions, p50 and p95 in milliseconds."""
    figures: dict[str, dict[str, float]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(texts, handle)
        handle.flush()
        for path in ENCODER_PATHS:
            result = subprocess.run([sys.executable, "-m", "assistant.bench", path, handle.name], capture_output=True,
                                    text=True, cwd=PROJECT_ROOT, check=True)  # fmt: skip
            figures[path] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def measure_encoder(path: str, texts: list[str]) -> dict[str, float]:
    """In a child process: load one encoder path (imports included), then encode each text alone."""
    started = time.perf_counter()
    settings = Settings.from_env()
    encode: Any
    if path == "torch":
        from assistant.encoder import load_encoder

        model = load_encoder(settings)
        encode = lambda text: model.encode([text], prompt_name="query", normalize_embeddings=True)  # noqa: E731
    else:
        from assistant.onnx_encoder import OnnxEncoder, onnx_folder

        onnx = OnnxEncoder(onnx_folder(settings), exact=path == "onnx-exact")
        encode = lambda text: onnx.encode([text], "query")  # noqa: E731
    encode("warm-up")
    load = time.perf_counter() - started
    times: list[float] = []
    for text in texts:
        started = time.perf_counter()
        encode(text)
        times.append((time.perf_counter() - started) * 1000)
    return {"load_s": round(load, 2), **percentiles(times), "peak_memory_mb": peak_memory_mb()}


def build_seconds(assistant: Assistant) -> float:
    """A full index build (all languages) into a temporary folder, with the loaded encoder."""
    from assistant.index import build_index

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env(corpus_dir=assistant.settings.corpus_dir, index_dir=Path(folder))
        started = time.perf_counter()
        build_index(settings, assistant.embed, assistant.manifest["weights"])
        return round(time.perf_counter() - started, 2)


def run(rounds: int = 3, include_build: bool = True) -> dict[str, Any]:
    texts = questions()
    assistant = Assistant.load()
    stages = time_stages(assistant, texts, rounds)
    result: dict[str, Any] = {
        "questions": len(texts),
        "rounds": rounds,
        "stages_ms": stages,
        "total_to_encoder_ratio_p50": round(stages["total"]["p50"] / stages["encode"]["p50"], 2),
        "encoder_runtime": assistant.embed.runtime,
        "encoder_paths_ms": encoder_paths(texts),
        "cold_start": cold_starts(),
        "app_ready_s": app_ready_seconds(),
        "api_ready_s": app_ready_seconds(api_only=True),
        "index_vectors": assistant.manifest["vectors"],
    }
    if include_build:
        result["index_build_s"] = build_seconds(assistant)
    result["peak_memory_mb"] = peak_memory_mb()
    return result


def table(result: dict[str, Any]) -> str:
    lines = [f"{'stage':<13} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9}"]
    for name, stats in result["stages_ms"].items():
        lines.append(f"{name:<13} {stats['p50']:>9.2f} {stats['p95']:>9.2f} {stats['mean']:>9.2f}")
    lines.append("")
    lines.append(f"questions x rounds       {result['questions']} x {result['rounds']}")
    lines.append(f"total / encoder (p50)    {result['total_to_encoder_ratio_p50']}")
    lines.append("")
    lines.append(f"{'encoder path':<13} {'load s':>9} {'p50 ms':>9} {'p95 ms':>9} {'peak MB':>9}")
    for name, stats in result["encoder_paths_ms"].items():
        lines.append(f"{name:<13} {stats['load_s']:>9.2f} {stats['p50']:>9.2f} {stats['p95']:>9.2f} "
                     f"{stats['peak_memory_mb']:>9.0f}")  # fmt: skip
    lines.append("")
    cold = result["cold_start"]
    lines.append(
        f"cold start (ask, median)  {cold['median_s']} s of {cold['runs_s']}, peak {cold['peak_memory_mb']} MB"
    )
    lines.append(f"ready: app {result['app_ready_s']} s, JSON API alone {result['api_ready_s']} s")
    if "index_build_s" in result:
        lines.append(f"index build (3 langs)     {result['index_build_s']} s for {result['index_vectors']} vectors")
    lines.append(f"peak memory, this process {result['peak_memory_mb']} MB ({result['encoder_runtime']} encoder)")
    return "\n".join(lines)


def main(rounds: int, include_build: bool, output: str | None) -> int:
    from datetime import UTC, datetime

    measured = datetime.now(UTC).isoformat(timespec="seconds")
    command = "python -m assistant bench" + (f" --rounds {rounds}" if rounds != 3 else "") + (
        "" if include_build else " --no-build") + (f" --output {output}" if output else "")  # fmt: skip
    result = {"measured": measured, "command": command, **run(rounds, include_build)}
    print(table(result))
    print(json.dumps(result))
    if output:
        Path(output).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":  # a child of encoder_paths: python -m assistant.bench <path> <questions.json>
    print(json.dumps(measure_encoder(sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))))

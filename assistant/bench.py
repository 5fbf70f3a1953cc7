"""The benchmark: per-stage query timings, cold start, index build time and peak memory."""

from __future__ import annotations

import json
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
            started = time.perf_counter()
            answer = assistant.ask(text)
            stages["total"].append((time.perf_counter() - started) * 1000)
            for name, milliseconds in answer.timings.items():
                stages[name].append(milliseconds)
            started = time.perf_counter()
            assistant.served.embed.encode_queries([text])
            stages["encode"].append((time.perf_counter() - started) * 1000)
    return {name: percentiles(values) for name, values in stages.items()}


def cold_start_seconds() -> float:
    """A fresh process importing the package and loading encoder and index, as the app does at start."""
    code = "import time; t=time.perf_counter(); from assistant.engine import Assistant; Assistant.load(); " \
           "print(time.perf_counter()-t)"  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    return round(float(result.stdout.strip().splitlines()[-1]), 2)


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
        "cold_start_s": cold_start_seconds(),
        "index_vectors": assistant.manifest["vectors"],
    }
    if include_build:
        result["index_build_s"] = build_seconds(assistant)
    result["peak_memory_mb"] = peak_memory_mb()
    result["peak_memory_children_mb"] = peak_memory_mb(resource.RUSAGE_CHILDREN)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [f"{'stage':<13} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9}"]
    for name, stats in result["stages_ms"].items():
        lines.append(f"{name:<13} {stats['p50']:>9.2f} {stats['p95']:>9.2f} {stats['mean']:>9.2f}")
    lines.append("")
    lines.append(f"questions x rounds       {result['questions']} x {result['rounds']}")
    lines.append(f"total / encoder (p50)    {result['total_to_encoder_ratio_p50']}")
    lines.append(f"cold start               {result['cold_start_s']} s")
    if "index_build_s" in result:
        lines.append(f"index build (3 langs)    {result['index_build_s']} s for {result['index_vectors']} vectors")
    lines.append(f"peak memory              {result['peak_memory_mb']} MB (this process)")
    lines.append(f"peak memory, cold start  {result['peak_memory_children_mb']} MB (child process)")
    return "\n".join(lines)


def main(rounds: int, include_build: bool, output: str | None) -> int:
    result = run(rounds, include_build)
    print(table(result))
    print(json.dumps(result))
    if output:
        Path(output).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0

"""The privacy notice assistant: multilingual answers, with citations, from the Amazon.com.be privacy notice."""

import os
from typing import Any

# The Hugging Face libraries read these when first imported: set them before anything imports them,
# so that a missing file fails at once instead of retrying a hub that cannot be reached.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # One BLAS thread per request thread: with OpenBLAS's own pool, concurrent requests fought over its lock and
    # 16 clients got 48 answers/s instead of 218 (docs/decisions/performance.md). Read when numpy first loads.
    "OPENBLAS_NUM_THREADS": "1",
}.items():
    os.environ.setdefault(_name, _value)


def __getattr__(name: str) -> Any:
    """`from assistant import Assistant` without loading the model stack for lighter commands."""
    if name == "Assistant":
        from assistant.engine import Assistant

        return Assistant
    raise AttributeError(name)

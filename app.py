"""Starts the product: the customer chat, agent lookup and notice tabs, and the JSON API, on one server."""

from __future__ import annotations

# isort: off
import assistant  # noqa: F401  (first: sets the offline environment before gradio loads huggingface_hub)

# isort: on
import argparse
import os

import gradio as gr
import uvicorn

from assistant.api import create_api
from assistant.engine import Assistant
from assistant.feedback import FeedbackStore
from assistant.logs import configure_logging
from assistant.settings import Settings
from assistant.ui import CSS, build_ui


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    """Loads encoder and index once and serves them to every tab and API call."""
    engine = Assistant.load(settings)
    engine.watch()  # an edited corpus is rebuilt in the background and swapped in when ready
    blocks = build_ui(engine, FeedbackStore(settings.feedback_db))
    # Several chats at once: the encoder is guarded by a lock, everything else is read-only and thread-safe.
    blocks.queue(default_concurrency_limit=8, max_size=128)
    return gr.mount_gradio_app(create_api(engine), blocks, path="/", css=CSS, footer_links=["api"])


def create_api_app():  # type: ignore[no-untyped-def]
    """The JSON API alone, for several worker processes: `uvicorn --factory app:create_api_app --workers 2`."""
    configure_logging(os.environ.get("ASSISTANT_LOG_LEVEL", "INFO"))
    return create_api(Assistant.load(Settings.from_env()))


def main() -> None:
    defaults = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=defaults.host, help=f"address to listen on (default {defaults.host})")
    parser.add_argument("--port", type=int, default=defaults.port, help=f"port (default {defaults.port})")
    args = parser.parse_args()
    configure_logging(os.environ.get("ASSISTANT_LOG_LEVEL", "INFO"))
    settings = Settings.from_env(host=args.host, port=args.port)
    app = create_app(settings)
    print(f"Privacy notice assistant on http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()

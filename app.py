"""Starts the product on one server: the customer chat (/), the agent desk (/agent), the notice (/notice/<lang>),
the demo help page with the chat widget (/help/<lang>) and the JSON API (/api)."""

from __future__ import annotations

# isort: off
import assistant  # noqa: F401  (first: sets the offline environment before gradio loads huggingface_hub)

# isort: on
import argparse
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import uvicorn

from assistant.api import create_api
from assistant.feedback import FeedbackError, FeedbackStore, open_store
from assistant.logs import configure_logging
from assistant.pages import add_pages
from assistant.serving import Service
from assistant.settings import Settings
from assistant.web import harden

if TYPE_CHECKING:
    from assistant.answer import Answer

log = logging.getLogger("app")
def theme() -> Any:
    """System fonts only: the default theme would fetch its fonts from Google, and no request may leave for another
    host. Primary buttons in a blue that white text reads on at 6.6:1 (the default orange gives 2.8:1: AA needs 4.5)."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", font=["system-ui", "sans-serif"],
                             font_mono=["ui-monospace", "monospace"]).set(
        color_accent="#0b57d0", button_primary_background_fill="#0b57d0",
        button_primary_background_fill_hover="#0842a0", button_primary_text_color="#ffffff",
        button_primary_border_color="#0b57d0",
    )  # fmt: skip


def keep_feedback_for(store: FeedbackStore, days: int, every: float = 24 * 3600) -> threading.Thread:
    """Delete feedback older than the retention period now, then once a day."""

    def run() -> None:
        while True:
            try:
                store.purge(days)
            except FeedbackError:
                log.error("feedback purge failed; retried at the next run")
            time.sleep(every)

    thread = threading.Thread(target=run, daemon=True, name="feedback-retention")
    thread.start()
    return thread


def in_background(keep: Callable[[Answer], None]) -> Callable[[Answer], None]:
    """The callback handed to one worker thread: a slow or unreachable store never delays an answer."""
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unanswered")

    def run(answer: Answer) -> None:
        try:
            keep(answer)
        except Exception as exc:  # a future's exception is never looked at: say it here
            log.error("unanswered question not kept", extra={"error": type(exc).__name__})

    def submit(answer: Answer) -> None:
        worker.submit(run, answer)

    return submit


def create_app(settings: Settings, service: Service | None = None) -> Any:
    """The whole server: the API and the chat behind the hardened doors. The assistant loads in the background,
    so that the server answers (not ready) at once; an edited corpus is rebuilt and swapped in when ready. Gradio is
    imported here, not by the API-only workers (`create_api_app`); before the loading starts, because the two in
    parallel fight over the interpreter lock (measured: app ready 15.1 s instead of 13.3 s)."""
    import gradio as gr

    from assistant.ui import build_ui, head_script
    from assistant.ui_text import CSS

    if service is None:
        service = Service(settings)
        service.start()

    store = open_store(settings)
    if service.on_unanswered is None:  # questions the notice did not answer, kept for the feedback report
        service.on_unanswered = in_background(store.keep_unanswered)
    keep_feedback_for(store, settings.feedback_retention_days)
    blocks = build_ui(service, store, settings)
    # Several chats at once: the encoder is guarded by a lock, everything else is read-only and thread-safe.
    blocks.queue(default_concurrency_limit=8, max_size=128)
    api = create_api(service, settings)
    add_pages(api, service)  # before the chat's mount at "/", which would answer every path
    with warnings.catch_warnings():  # Gradio warns that SSR is off for a multi-page app even when asked for it off
        warnings.filterwarnings("ignore", message="SSR mode is not supported", category=UserWarning)
        app = gr.mount_gradio_app(api, blocks, path="/", css=CSS, theme=theme(), footer_links=[], head=head_script(),
                                  show_error=False, max_file_size=1, ssr_mode=False)  # fmt: skip
    return harden(app, settings)


def create_api_app() -> Any:
    """The JSON API alone, for several worker processes: `uvicorn --factory app:create_api_app --workers 2`."""
    configure_logging(os.environ.get("ASSISTANT_LOG_LEVEL", "INFO"))
    settings = Settings.from_env()
    service = Service(settings)
    service.start()
    return harden(create_api(service, settings), settings)


def main() -> None:
    defaults = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=defaults.host, help=f"address to listen on (default {defaults.host})")
    parser.add_argument("--port", type=int, default=defaults.port, help=f"port (default {defaults.port})")
    args = parser.parse_args()
    configure_logging(os.environ.get("ASSISTANT_LOG_LEVEL", "INFO"), capture_stderr=True)
    settings = Settings.from_env(host=args.host, port=args.port)
    app = create_app(settings)
    print(f"Privacy notice assistant on http://{settings.host}:{settings.port}/", flush=True)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, log_level="warning",
                            timeout_graceful_shutdown=int(settings.shutdown_seconds))  # fmt: skip
    uvicorn.Server(config).run()  # SIGTERM or Ctrl-C: stop accepting, finish or cut what runs, then return
    log.warning("server stopped")
    logging.shutdown()
    os._exit(0)  # background threads (loader, watcher, the queue's workers) must not hold the process open


if __name__ == "__main__":
    main()

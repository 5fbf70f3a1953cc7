# Sourced by the set-up scripts: the offline environment every Python process here needs,
# set before Python starts (set in-process, it is too late for the Hugging Face libraries).
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export TOKENIZERS_PARALLELISM=false

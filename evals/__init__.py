"""The evaluation suite: editable cases, per-language metrics, reports with plots, and a regression gate."""

"""Checking an ONNX export against the PyTorch model it came from, on fixed FR/NL/EN queries and passages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.onnx_encoder import OnnxEncoder, OnnxEncoderError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# The 4-bit model holds PyTorch's very weights and rounds only activations: it must agree on every text, closely.
MIN_MEAN_COSINE_Q4 = 0.9995
MIN_COSINE_Q4 = 0.999
MIN_COSINE_EXACT = 0.99999  # float32 arithmetic on the same weights: only the order of additions may differ

# The verification set: queries and passages in the three languages, and one passage past 512 tokens, so that the
# tokenizer's truncation is checked against sentence-transformers' too.
VERIFY_QUERIES = (
    "Quelles données personnelles collectez-vous à mon sujet ?",
    "Comment puis-je supprimer mon compte ?",
    "Partagez-vous mes informations avec d'autres entreprises ?",
    "Welke persoonsgegevens verzamelen jullie over mij?",
    "Hoe kan ik mijn account verwijderen?",
    "Delen jullie mijn gegevens met andere bedrijven?",
    "What personal data do you collect about me?",
    "How can I delete my account?",
    "Do you share my information with other companies?",
    "cookies publicitaires",
)
VERIFY_PASSAGES = (
    "Nous collectons les informations que vous nous fournissez lorsque vous passez une commande.",
    "Vous pouvez à tout moment retirer votre consentement au traitement de vos données.",
    "Nous conservons vos informations aussi longtemps que nécessaire pour les finalités décrites.",
    "Wij gebruiken cookies om uw voorkeuren te onthouden en onze diensten te verbeteren.",
    "U hebt het recht om inzage te vragen in de persoonsgegevens die wij over u bewaren.",
    "Uw gegevens kunnen worden doorgegeven aan landen buiten de Europese Economische Ruimte.",
    "We use your personal information to process your orders and deliver products.",
    "You may ask us to correct inaccurate personal information at any time.",
    "We protect the security of your information during transmission using encryption.",
    "Les données de paiement sont traitées par nos prestataires. " * 60,  # well past 512 tokens
)


def _verification_texts() -> dict[str, list[str]]:
    return {"query": list(VERIFY_QUERIES), "passage": list(VERIFY_PASSAGES)}


def reference_vectors(reference: SentenceTransformer) -> dict[str, np.ndarray]:
    """The PyTorch model's vectors of the verification texts, per prompt."""
    return {
        prompt: np.asarray(
            reference.encode(items, prompt_name=prompt, normalize_embeddings=True, convert_to_numpy=True),
            dtype=np.float64,
        )
        for prompt, items in _verification_texts().items()
    }


def verify(expected: dict[str, np.ndarray], folder: Path) -> dict[str, Any]:
    """Cosines of the exact and the query models' vectors with PyTorch's; raise OnnxEncoderError below the bounds."""
    texts = _verification_texts()
    figures: dict[str, Any] = {"texts": sum(len(items) for items in texts.values())}
    for label, exact in (("exact", True), ("q4", False)):
        encoder = OnnxEncoder(folder, exact=exact)
        per_text: list[float] = []
        for prompt, items in texts.items():
            vectors = encoder.encode(items, prompt).astype(np.float64)
            if vectors.shape != expected[prompt].shape or not np.isfinite(vectors).all():
                raise OnnxEncoderError(f"The {label} ONNX model returned malformed vectors {vectors.shape}.")
            per_text.extend(float(c) for c in (vectors * expected[prompt]).sum(axis=1))
        figures[label] = {
            "mean": round(float(np.mean(per_text)), 5),
            "min": round(min(per_text), 5),
            "per_text": [round(c, 5) for c in per_text],
        }
        del encoder
    low_exact = figures["exact"]["min"] < MIN_COSINE_EXACT
    low_q4 = figures["q4"]["mean"] < MIN_MEAN_COSINE_Q4 or figures["q4"]["min"] < MIN_COSINE_Q4
    if low_exact or low_q4:
        raise OnnxEncoderError(
            "The ONNX export disagrees with the PyTorch model: exact min cosine "
            f"{figures['exact']['min']:.6f} (needs {MIN_COSINE_EXACT}), 4-bit mean {figures['q4']['mean']:.5f} "
            f"(needs {MIN_MEAN_COSINE_Q4}) and min {figures['q4']['min']:.5f} (needs {MIN_COSINE_Q4}). "
            "Nothing was installed; check the onnxruntime, onnx and torch versions against requirements.txt, or "
            "keep using the PyTorch encoder (assistant.encoder.load_encoder)."
        )
    return figures

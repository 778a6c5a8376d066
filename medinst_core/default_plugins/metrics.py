"""Built-in metrics: MedINST's evaluation, plus corrected variants.

Registered by lazy reference; nothing here imports the metric modules.
"""

from __future__ import annotations

from ..hookspecs import hookimpl

_M = "medinst_core.metrics."

#: name -> (reference, higher_is_better, aggregation, description)
METRICS: dict[str, tuple[str, bool, str, str]] = {
    "entity_f1": (
        _M + "sets:entity_f1", True, "mean",
        "MedINST entity-level F1 of the normalised [...] items, per sample, averaged (empty vs empty = 0)",
    ),
    "entity_f1_corrected": (
        _M + "sets:entity_f1_corrected", True, "mean",
        "entity_f1, except that an empty gold answered by an empty prediction scores 1",
    ),
    "multilabel_f1": (
        _M + "sets:multilabel_f1", True, "mean",
        "MedINST multi-label F1: labels split on ', ', lower-cased, per sample, averaged",
    ),
    "exact_match": (
        _M + "text:exact_match", True, "mean",
        "normalised answer equals normalised gold (SQuAD normalisation), averaged",
    ),
    "word_f1": (
        _M + "text:word_f1", True, "mean",
        "SQuAD word-level F1 of normalised answers, averaged",
    ),
    "rouge_l": (
        _M + "rouge:rouge_l", True, "mean",
        "Rouge-L F-measure with Porter stemming (as Google's rouge_score), averaged",
    ),
    "label_f1": (
        _M + "labels:label_f1", True, "corpus",
        "macro F1 of normalised answers over the labels present in the gold (scikit-learn semantics)",
    ),
    "bio_label_f1": (
        _M + "labels:bio_label_f1", True, "corpus",
        "macro F1 of [B]/[I]/[O] tags, predictions padded/truncated to the gold length, pooled over samples",
    ),
    "mse": (
        _M + "sts:mse", False, "mean",
        "MedINST STS mean squared error; unusable answers count as gold 0 / prediction 5",
    ),
    "mse_corrected": (
        _M + "sts:mse_corrected", False, "mean",
        "STS squared error of the first number (decimals allowed); unusable answers get the worst error for their gold",
    ),
}  # fmt: skip


@hookimpl
def register_metrics(register):
    for name, (ref, higher, aggregation, description) in METRICS.items():
        register(name, ref, higher_is_better=higher, aggregation=aggregation, description=description)

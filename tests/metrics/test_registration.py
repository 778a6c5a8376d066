from medinst_core.metrics import MetricResult
from medinst_core.plugins import load_registry

EXPECTED = {
    # name: (higher_is_better, aggregation)
    "entity_f1": (True, "mean"),
    "entity_f1_corrected": (True, "mean"),
    "multilabel_f1": (True, "mean"),
    "exact_match": (True, "mean"),
    "label_f1": (True, "corpus"),
    "bio_label_f1": (True, "corpus"),
    "mse": (False, "mean"),
    "mse_corrected": (False, "mean"),
    "rouge_l": (True, "mean"),
    "word_f1": (True, "mean"),
}


def test_builtin_metrics_are_registered_and_load():
    reg = load_registry(entrypoints=False)
    for name, (higher, aggregation) in EXPECTED.items():
        spec = reg.metric(name)
        assert (spec.higher_is_better, spec.aggregation) == (higher, aggregation), name
        assert spec.description
        result = spec.load()(["[a] 3 [B]", "yes"], ["[a] 3 [B]", "no"])
        assert isinstance(result, MetricResult)
        assert (result.per_sample is None) == (aggregation == "corpus"), name


def test_registration_module_imports_no_metric_code():
    import subprocess
    import sys

    code = (
        "import sys, medinst_core.default_plugins.metrics as m; "
        "print(any(k.startswith('medinst_core.metrics.') for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""Recipe optimize-quantize: dynamic int8 quantization of the trained torch model, evaluated again."""

from __future__ import annotations

import dataclasses
import re

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, code, last_name, nodes_of
from mlops_adapt.tasks.optimize_quantize import SPEC
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.transforms.torch_common import (
    EXAMPLE_IMPORTS,
    EXAMPLE_TRAINING,
    Optimization,
    commented,
    example_evaluation,
    float64_model,
    fresh,
    is_bare_layer,
    names_of,
    optimize_copy,
    torch_plan,
    unregistered_layer_lists,
    with_helpers,
)
from mlops_adapt.transforms.translation import HelperLibrary, renamed

# The helpers the recipe copies into the script (runtime.py: the model size; float64 inputs and
# outputs for a float32 copy), under names the script leaves free.
HELPERS = HelperLibrary("mlops_adapt.tasks.optimize_quantize.runtime", summaries_only=True)
# A quantized Linear's `weight` and `bias` are methods: statements reading them are not repeated.
QUANTIZATION = Optimization("quantization", "int8", "float32", "float32", "int8", unreadable=("weight", "bias"))
# A float64 model: its float32 copy is quantized, and takes and returns float64 tensors (runtime.float64_io).
QUANTIZATION_FLOAT64 = dataclasses.replace(QUANTIZATION, kept_suffix="float64", before="float64")
# torch.nn.utils.parametrizations (weight_norm, spectral_norm) and register_parametrization.
PARAMETRIZED = re.compile(r"\b(parametrizations|register_parametrization)\b")
FOLDED_NOTE = (
    "\nParametrized layers (weight_norm, spectral_norm) are folded into plain ones in a copy first"
    "\n(same outputs): quantize_dynamic refuses a parametrized Linear."
)
FLOAT64_NOTE = (
    "\nThe model is float64 and quantize_dynamic converts float32 Linear layers: a float32 copy is"
    "\nquantized, and it takes and returns float64 tensors like the model, so the script's"
    "\nevaluation runs on it unchanged."
)


class QuantizeTorchModel(Recipe):
    """Quantize the trained torch model to int8 and report its evaluation and size before and after.

    Finds the torch model the script trains and the statements that evaluate it after training
    (or, when it is only evaluated inside the training loop, that evaluation, without the lines
    that print the loop's own values). After them, it makes a dynamically quantized copy of the
    model (`torch.ao.quantization.quantize_dynamic`, int8 weights for every Linear layer, for CPU
    inference), prints the size of both models, runs the evaluation again with the quantized copy
    in the model's place (statements reading a layer's `weight`/`bias` are not repeated: on a
    quantized Linear those are methods) and prints each result before and after. Then the float
    model is put back, so code after the evaluation behaves as before; where the script saves its
    model, the quantized copy is saved beside it (`net.pt` -> `net_int8.pt`).

    A model that keeps its layers in a plain Python list is refused: torch does not register
    them, so quantize_dynamic cannot reach them.

    A model with parametrized layers (`torch.nn.utils.parametrizations.weight_norm`,
    `spectral_norm`): quantize_dynamic refuses a parametrized Linear, so a copy with each
    parametrization folded into a plain weight (the same outputs) is quantized.

    A float64 model (`model.double()`): dynamic int8 quantization converts float32 Linear layers
    only, so a float32 copy of the model is quantized, with forward hooks that cast the float64
    tensors the script feeds it to float32 and its outputs back to float64. The script's own
    evaluation then runs unchanged on the int8 model, and its results compare with the float64
    model's.

    torch 2.13 marks `torch.ao.quantization` deprecated and points to torchao's `quantize_`;
    core torch has no other dynamic int8 path. This recipe keeps the core API (it works in 2.13
    and the project does not depend on torchao, whose 0.18 release prints its own deprecation
    and CUDA-kernel warnings on a CPU torch 2.13) and silences nothing: the warning still shows,
    and V3 reports it on every edit. Measured on this CPU (an MLP 64-256-256-2, a batch of 2000):
    torchao 0.18's `quantize_(model, Int8DynamicActivationInt8WeightConfig())` gives the same
    accuracy and size as `quantize_dynamic`, but runs 11x slower than it (1.9 s against 0.17 s a
    batch; the float model takes 0.22 s), after failing to load its CUDA libraries.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            EXAMPLE_IMPORTS + "\n" + EXAMPLE_TRAINING,
            EXAMPLE_IMPORTS + """\
import io


def state_dict_megabytes(model):
    \"\"\"Size of a model's serialized weights, in MB.\"\"\"
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes / 1e6


""" + EXAMPLE_TRAINING + """\
# Dynamic int8 quantization of the Linear layers, into a copy for CPU inference.
model_float32 = model
model_int8 = torch.ao.quantization.quantize_dynamic(model_float32, {torch.nn.Linear}, dtype=torch.qint8)
print(f"Model size: {state_dict_megabytes(model_float32):.4f} MB float32 -> {state_dict_megabytes(model_int8):.4f} MB int8")
""" + example_evaluation(QUANTIZATION),
        ),
    ]
    NOOP = [
        """
        import torch

        model = torch.nn.Linear(4, 2)
        quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        """,
        """
        import numpy as np

        print(np.ones(3).sum())
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if "quantize_dynamic" in tree.code or "quantize_(" in tree.code:
            raise SkipFile("the model is already quantized")
        plan = torch_plan(tree, self.scan(tree))
        unregistered = unregistered_layer_lists(tree, plan.model)
        if unregistered:
            raise Unsupported(
                f"the model keeps layers in a plain Python list (`{plan.model}.{unregistered[0]}`), which torch "
                "does not register: quantize_dynamic converts registered submodules only, so those layers would "
                "stay float (an nn.ModuleList would register them)"
            )
        without = _without_linear_layers(tree, plan.model)
        if without is not None:
            raise Unsupported(
                f"the model (`{without}`) has no Linear layer: quantize_dynamic converts Linear layers "
                "(and recurrent ones) only, so its int8 copy would be the float model unchanged; a model of "
                "convolutions needs static quantization (observers and a calibration pass), which this recipe does not do"
            )
        float64 = float64_model(tree, plan.model) is not None
        taken = names_of(tree)
        folded = bool(PARAMETRIZED.search(tree.code))
        helpers = ["state_dict_megabytes"] + (["float64_io"] if float64 else []) + (["folded_copy"] if folded else [])
        names = {name: fresh(name, taken) for name in HELPERS.closure(helpers)}
        size = names["state_dict_megabytes"]
        bare = is_bare_layer(tree, plan.model)
        opt = QUANTIZATION_FLOAT64 if float64 else QUANTIZATION

        def quantize_copy(kept: str, quantized: str) -> list[cst.BaseStatement]:
            # A bare layer has no children for quantize_dynamic to convert: it goes in a Sequential.
            source = f"torch.nn.Sequential({kept})" if bare else kept
            if folded:
                # quantize_dynamic refuses a parametrized Linear: a copy with plain layers is quantized.
                source = f"{names['folded_copy']}({source})"
            if float64 and folded:
                source = f"{source}.float()"  # folded_copy made a copy already
            elif float64:
                # quantize_dynamic converts float32 Linear layers only: quantize a float32 copy.
                source = f"copy.deepcopy({source}).float()"
            lines = [f"{quantized} = torch.ao.quantization.quantize_dynamic({source}, {{torch.nn.Linear}}, dtype=torch.qint8)"]
            if float64:
                lines.append(f"{names['float64_io']}({quantized})")
            lines.append(
                f'print(f"Model size: {{{size}({kept}):.4f}} MB {opt.kept_suffix} -> {{{size}({quantized}):.4f}} MB int8")'
            )
            statements = [cst.parse_statement(line) for line in lines]
            comment = "Dynamic int8 quantization of the Linear layers, into a copy for CPU inference."
            if folded:
                comment += FOLDED_NOTE
            if float64:
                comment += FLOAT64_NOTE
            statements[0] = commented(statements[0], comment)
            return statements

        imports = (("io", None), ("copy", None)) if float64 or folded else (("io", None),)
        new = optimize_copy(self, tree, plan, opt, quantize_copy, imports)
        helper_code = cst.parse_module(HELPERS.source(helpers))
        return with_helpers(new, [renamed(stmt, names) for stmt in helper_code.body])



# Layers quantize_dynamic converts, or modules that hold such layers.
_DYNAMIC_QUANTIZABLE = re.compile(r"Linear|LSTM|GRU|RNN|Transformer|MultiheadAttention|Bilinear")


def _without_linear_layers(tree: cst.Module, model: str) -> str | None:
    """The model's class when it is one of the script's classes built only from torch.nn layers that
    quantize_dynamic leaves alone (`nn.Conv2d`, `nn.BatchNorm2d`...), through the script's other classes;
    None when it may hold a Linear layer or its class is not known."""
    classes = {c.name.value: c for c in nodes_of(tree, cst.ClassDef)}
    target = model.rsplit(".", 1)[-1]
    built = {
        last_name(a.value) for a in nodes_of(tree, cst.Assign)
        if len(a.targets) == 1 and isinstance(a.value, cst.Call)
        and (code(a.targets[0].target) == model or code(a.targets[0].target).rsplit(".", 1)[-1] == target)
    }
    own = {name for name in built if name in classes}
    # `model = train_model(model=model, ...)` rebinds it to what a function returns: the same module.
    if len(own) != 1 or any((name or "")[:1].isupper() for name in built - own):
        return None
    root = own.pop()
    todo, seen = [root], {root}
    while todo:
        cls = classes[todo.pop()]
        for call in calls_in(cls):
            called = code(call.func)
            short = called.rsplit(".", 1)[-1]
            if _DYNAMIC_QUANTIZABLE.search(short):
                return None
            if short in classes:
                if short not in seen:
                    seen.add(short)
                    todo.append(short)
            elif short[:1].isupper() and not called.startswith(("nn.", "torch.nn.")):
                return None  # a module from another library (a torchvision backbone) may hold Linear layers
    return root

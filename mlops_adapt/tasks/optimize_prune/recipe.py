"""Recipe optimize-prune: prune the trained torch model's Linear/Conv weights and evaluate it again."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.tasks.optimize_prune import SPEC
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.transforms.torch_common import (
    EXAMPLE_IMPORTS,
    EXAMPLE_TRAINING,
    Optimization,
    commented,
    example_evaluation,
    fresh,
    names_of,
    optimize_copy,
    torch_plan,
    unregistered_layer_lists,
    with_helpers,
)
from mlops_adapt.transforms.translation import HelperLibrary, renamed

PRUNED_LAYERS = "(torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)"
# The helpers the recipe copies into scripts whose layers reparametrize their weight (runtime.py).
HELPERS = HelperLibrary("mlops_adapt.tasks.optimize_prune.runtime", summaries_only=True)
# weight_norm/spectral_norm (torch.nn.utils and .parametrizations) and register_parametrization.
REPARAMETRIZED = re.compile(r"\b(weight_norm|spectral_norm|register_parametrization|parametrizations?)\b")
PRUNING = Optimization("pruning", "pruned", "dense", "before pruning", "after pruning")


class PruneTorchModel(Recipe):
    """Prune a copy of the trained torch model and report its evaluation before and after.

    Finds the torch model the script trains and the statements that evaluate it after training
    (or, when it is only evaluated inside the training loop, that evaluation, without the lines
    that print the loop's own values such as `epoch`). After them, it copies the model, zeroes the
    smallest weights of the copy's Linear and Conv layers with global L1 unstructured pruning
    (`--option amount=0.3` by default), makes the pruning permanent with `prune.remove`, prints the
    sparsity, runs the script's own evaluation again with the copy in the model's place and prints
    each result before and after. The trained model is put back, so the rest of the script sees it
    unchanged; where the script saves its model (`torch.save(model.state_dict(), "net.pt")`), the
    pruned copy is saved beside it (`net_pruned.pt`), under the same condition; a best-epoch
    checkpoint dict saved in the training loop is saved once for the copy, with only its model entry.

    Layers the model keeps in a plain Python list (`self.layers = []`, then `.append(...)`) are
    not among its `modules()`: they are pruned too. Layers whose weight is reparametrized
    (`weight_norm`, `spectral_norm`, a parametrization) have no weight parameter to prune: the copy's
    weights are folded into plain ones first (same outputs), and weight-normed layers are normalized
    again after pruning, so the pruned copy's state_dict has the model's keys. A model reloaded from its saved weights
    (`model = Net()`, `model.load_state_dict(torch.load(...))`) is the trained one: the copy is
    made after the reload, and the evaluation after it is repeated. A call that loads weights into
    the model before its evaluation (an EMA's `ema.apply_shadow(model)`) is not repeated: the copy
    already holds those weights, and loading them again would undo the pruning.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            EXAMPLE_IMPORTS + "\n" + EXAMPLE_TRAINING,
            EXAMPLE_IMPORTS + """\
import copy
from torch.nn.utils import prune

""" + EXAMPLE_TRAINING + """\
# Prune 30% of the Linear/Conv weights of a copy (global L1 magnitude), for good.
model_dense = model
model_pruned = copy.deepcopy(model_dense)
prune_params = [(layer, "weight") for layer in model_pruned.modules() if isinstance(layer, (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d))]
prune.global_unstructured(prune_params, pruning_method=prune.L1Unstructured, amount=0.3)
for pruned_layer, pruned_name in prune_params:
    prune.remove(pruned_layer, pruned_name)
sparsity = sum(int((layer.weight == 0).sum()) for layer, _ in prune_params) / max(1, sum(layer.weight.nelement() for layer, _ in prune_params))
print(f"Pruned with amount=0.3: sparsity of Linear/Conv weights {sparsity:.1%}")
""" + example_evaluation(PRUNING),
        ),
    ]
    NOOP = [
        """
        import torch
        from torch.nn.utils import prune

        model = torch.nn.Linear(4, 2)
        prune.l1_unstructured(model, name="weight", amount=0.5)
        prune.remove(model, "weight")
        """,
        """
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression().fit([[0], [1]], [0, 1])
        print(clf.score([[0], [1]], [0, 1]))
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        text = tree.code
        if "global_unstructured" in text or "l1_unstructured" in text or "prune.remove" in text:
            raise SkipFile("the model is already pruned")
        plan = torch_plan(tree, self.scan(tree))
        amount = self._amount()
        taken = names_of(tree)
        if "prune" in taken and "torch.nn.utils import prune" not in text:
            raise Unsupported("the script already uses the name `prune`")
        params, sparsity = fresh("prune_params", taken), fresh("sparsity", taken)
        reparametrized = bool(REPARAMETRIZED.search(text))
        names = {name: fresh(name, taken) for name in HELPERS.closure(["plain_weights", "restore_weight_norms"])}
        normed = fresh("weight_normed", taken)
        # Layers the model keeps in a plain list are not among its modules(): they are added by hand.
        unregistered = unregistered_layer_lists(tree, plan.model)

        def prune_copy(kept: str, pruned: str) -> list[cst.BaseStatement]:
            layers = f"{pruned}.modules()"
            if unregistered:
                extra = ", ".join(f"*(part for held in {pruned}.{attr} for part in held.modules())" for attr in unregistered)
                layers = f"[*{pruned}.modules(), {extra}]"
            lines = [
                f"{pruned} = copy.deepcopy({kept})",
                *([f"{normed} = {names['plain_weights']}({pruned})"] if reparametrized else []),
                f'{params} = [(layer, "weight") for layer in {layers} if isinstance(layer, {PRUNED_LAYERS})]',
                f"prune.global_unstructured({params}, pruning_method=prune.L1Unstructured, amount={amount!r})",
                f"for pruned_layer, pruned_name in {params}:\n    prune.remove(pruned_layer, pruned_name)",
                *([f"{names['restore_weight_norms']}({normed})"] if reparametrized else []),
                (
                    f"{sparsity} = sum(int((layer.weight == 0).sum()) for layer, _ in {params}) / "
                    f"max(1, sum(layer.weight.nelement() for layer, _ in {params}))"
                ),
                f'print(f"Pruned with amount={amount!r}: sparsity of Linear/Conv weights {{{sparsity}:.1%}}")',
            ]
            statements = [cst.parse_statement(line) for line in lines]
            comment = f"Prune {amount:.0%} of the Linear/Conv weights of a copy (global L1 magnitude), for good."
            if reparametrized:
                comment += ("\nReparametrized weights (weight_norm, spectral_norm) are folded into plain ones to be"
                            "\npruned; weight-normed layers are normalized again after, keeping the zeros.")
            for attr in unregistered:
                comment += f"\n`{plan.model}.{attr}` is a plain list, which torch does not register: its layers are added."
            statements[0] = commented(statements[0], comment)
            return statements

        new = optimize_copy(self, tree, plan, PRUNING, prune_copy, (("copy", None), ("torch.nn.utils", "prune")))
        if not reparametrized:
            return new
        helper_code = cst.parse_module(HELPERS.source(names))
        return with_helpers(new, [renamed(stmt, names) for stmt in helper_code.body])

    def _amount(self) -> float:
        raw = self.option("amount", "0.3")
        try:
            amount = float(raw)
        except ValueError:
            raise Unsupported(f"--option amount must be a number in (0, 1), got {raw!r}") from None
        if not 0 < amount < 1:
            raise Unsupported(f"--option amount must be in (0, 1), got {raw!r}")
        return amount

"""The torch recipes may give a copied, parametrized layer a clone of its own class (`layer.__class__ = ...`);
`mlops-adapt verify` accepts exactly that statement and rejects any other edit that sets `__class__` or
`__bases__` (a class swapped to fake the evaluation, a torch class's bases rewritten), rebinds `type`, or
patches the model's `forward` (on the model or its class)."""

from __future__ import annotations

import json
import textwrap
from functools import cache

import pytest

from mlops_adapt.cli import main
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

WEIGHT_NORMED = textwrap.dedent("""
    import torch
    from torch import nn
    from torch.nn.utils.parametrizations import weight_norm

    torch.manual_seed(0)
    xs = torch.randn(120, 5)
    ys = (xs[:, 0] - xs[:, 2] > 0).long()
    net = nn.Sequential(weight_norm(nn.Linear(5, 12)), nn.Tanh(), nn.Linear(12, 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.2)
    for step in range(20):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(xs), ys)
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        acc = (net(xs).argmax(1) == ys).float().mean().item()
    print(f"accuracy {acc:.3f}")
    torch.save(net.state_dict(), "net.pt")
""")
OWN_CLASS_TEMPLATE = ('{c} = {made}\n{x}.__class__ = type({c}.__name__, {c}.__bases__, '
                      '{{k: v for k, v in vars({c}).items() if k not in ("__dict__", "__weakref__")}})\n')
HOSTILE = {
    # The evaluated model's class swapped for one whose forward answers for it.
    "class swapped": ("net.__class__ = type('Net', (nn.Sequential,), {'forward': lambda self, x: x[:, :2]})\n",
                      "capability"),
    # The same swap through object.__setattr__, which V2's setattr rule would not name.
    "class swapped by __setattr__": ("object.__setattr__(net, '__class__', nn.Identity)\n", "capability"),
    # Every Sequential's bases rewritten, through a plain name so V2's per-attribute gate lets it by.
    "bases rewritten": ("seq = nn.Sequential\nseq.__bases__ = (nn.Module,)\n", "capability"),
    # The recipe's statement, but the "own" class is another one.
    "foreign class in the own-class shape": (OWN_CLASS_TEMPLATE.format(c="cls", made="nn.Identity", x="net"),
                                             "capability"),
    # No dunder at all: the model's forward, or its class's, replaced.
    "forward patched": ("net.forward = lambda x: x[:, :2]\n", "replaces `net.forward`"),
    "class method patched": ("type(net).forward = lambda self, x: x[:, :2]\n", "replaces `type(net).forward`"),
}


@cache
def _recipe_output(task: str) -> str:
    result = adapt(WEIGHT_NORMED, task, AdaptOptions(backend="recipe", verify="static", path="net.py"))
    assert isinstance(result, Applied), result
    assert ".__class__ = type(" in result.code  # the own-class statement this guard admits
    return result.code


def _verify(tmp_path, capsys, task: str, candidate: str) -> tuple[int, str]:
    original, edited = tmp_path / "net.py", tmp_path / "candidate.py"
    original.write_text(WEIGHT_NORMED)
    edited.write_text(candidate)
    capsys.readouterr()
    code = main(["verify", task, str(original), str(edited), "--json"])
    report = json.loads(capsys.readouterr().out)
    return code, " ".join(r for c in report["checks"] for r in c["reasons"])


@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize", "register-mlflow"])
def test_the_recipes_own_class_statement_is_accepted_and_a_class_swap_is_not(tmp_path, capsys, task):
    candidate = _recipe_output(task)
    code, reasons = _verify(tmp_path, capsys, task, candidate)
    assert code == 0, reasons
    code, reasons = _verify(tmp_path, capsys, task, candidate + HOSTILE["class swapped"][0])
    assert code == 1 and "capability" in reasons and "net.__class__" in reasons, reasons


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_prune_rejects_other_class_changes(tmp_path, capsys, hostile):
    line, reason = HOSTILE[hostile]
    code, reasons = _verify(tmp_path, capsys, "optimize-prune", _recipe_output("optimize-prune") + line)
    assert code == 1 and reason in reasons, reasons


def test_a_rebound_type_voids_the_own_class_statement(tmp_path, capsys):
    candidate = _recipe_output("optimize-prune").replace("import copy\n", "import copy\ntype = lambda obj: torch.nn.Identity\n", 1)
    code, reasons = _verify(tmp_path, capsys, "optimize-prune", candidate)
    assert code == 1 and "rebinds the builtin `type`" in reasons, reasons

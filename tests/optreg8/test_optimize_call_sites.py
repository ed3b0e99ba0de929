"""optimize-prune and optimize-quantize rules on candidates whose optimization sits in a helper function
(judged where it is called: before the training loop is wrong), whose "quantized" figure is measured on the
float model, and a recipe repeating a sampling evaluation from the same seeded generator."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate

ORIGINAL = textwrap.dedent("""
    import torch
    from torch import nn


    def fit_epoch(net, opt, xs, ys):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(xs), ys)
        loss.backward()
        opt.step()
        return loss.item()


    def accuracy(net, xs, ys):
        with torch.no_grad():
            return (net(xs).argmax(1) == ys).float().mean().item()


    def main():
        torch.manual_seed(1)
        xs = torch.randn(100, 6)
        ys = (xs[:, 1] > 0).long()
        model = nn.Sequential(nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.3)
        for epoch in range(4):
            print(f"epoch {epoch}: loss {fit_epoch(model, opt, xs, ys):.4f}")
        print(f"accuracy {accuracy(model, xs, ys):.3f}")


    if __name__ == "__main__":
        main()
""")
SHRINK = textwrap.dedent("""


    def shrink(net):
        for layer in net.modules():
            if isinstance(layer, nn.Linear):
                prune.l1_unstructured(layer, name="weight", amount=0.3)
                prune.remove(layer, "weight")
""")
LOOP = "    for epoch in range(4):\n"
REPORT = '    print(f"accuracy {accuracy(model, xs, ys):.3f}")\n'


def _pruned(before_training: bool) -> str:
    text = ORIGINAL.replace("from torch import nn\n", "from torch import nn\nfrom torch.nn.utils import prune\n")
    text = text.replace("\n\ndef main():", SHRINK.rstrip("\n") + "\n\n\ndef main():")
    pruned_report = '    print(f"pruned accuracy {accuracy(model, xs, ys):.3f}")\n'
    if before_training:
        return text.replace(LOOP, "    shrink(model)\n" + LOOP).replace(REPORT, REPORT + pruned_report)
    return text.replace(REPORT, REPORT + "    shrink(model)\n" + pruned_report)


def _quantized(evaluated: str) -> str:
    return ORIGINAL.replace(REPORT, REPORT + (
        "    model_int8 = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)\n"
        f'    print(f"int8 accuracy {{accuracy({evaluated}, xs, ys):.3f}}")\n'))


def _reasons(task: str, candidate: str) -> list[str]:
    assert candidate != ORIGINAL
    report = verify_candidate(ORIGINAL, candidate, task, AdaptOptions(verify="static"))
    return [r for c in report.checks if c.status == "fail" for r in c.reasons]


@pytest.mark.parametrize("before_training, reason", [(True, "pruned before it is trained"), (False, None)])
def test_pruning_in_a_helper_is_judged_where_the_helper_is_called(before_training, reason):
    reasons = _reasons("optimize-prune", _pruned(before_training))
    assert (any(reason in r for r in reasons) if reason else not reasons), reasons


@pytest.mark.parametrize("evaluated, reason", [("model", "not repeated on the quantized model"), ("model_int8", None)])
def test_the_quantized_copy_itself_must_be_evaluated(evaluated, reason):
    reasons = _reasons("optimize-quantize", _quantized(evaluated))
    assert (any(reason in r for r in reasons) if reason else not reasons), reasons


SAMPLER = textwrap.dedent("""
    import torch
    from torch import nn

    torch.manual_seed(0)
    data = torch.randn(256, 2) * 0.5 + 1.0
    net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for step in range(30):
        noise = torch.randn_like(data)
        loss = ((net(data + noise) - noise) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    draw = torch.Generator().manual_seed(5)
    x = torch.randn(128, 2, generator=draw)
    for _ in range(10):
        with torch.no_grad():
            x = x - 0.1 * net(x) + 0.01 * torch.randn(x.shape, generator=draw)
    print(f"mean gap {(x.mean(0) - data.mean(0)).abs().sum().item():.4f}")
""")


@pytest.mark.parametrize("task, suffix", [("optimize-prune", "pruned"), ("optimize-quantize", "int8")])
def test_a_sampling_evaluation_is_repeated_from_the_same_seed(task, suffix):
    result = adapt(SAMPLER, task, AdaptOptions(backend="recipe", verify="static", path="sampler.py"))
    assert isinstance(result, Applied), result
    after = result.code[result.code.index("Evaluation after"):]
    assert f"draw_{suffix} = torch.Generator().manual_seed(5)\n" in after
    assert f"x_{suffix} = torch.randn(128, 2, generator=draw_{suffix})\n" in after
    assert "draw = torch.Generator()" not in after  # the script's own generator is left as it was

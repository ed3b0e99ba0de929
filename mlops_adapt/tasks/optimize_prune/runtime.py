"""Code the optimize-prune recipe copies into scripts (it reads the source, never imports it)."""

from __future__ import annotations

import torch


def own_class(layer):
    """Give a parametrized layer of a copy a class of its own: deepcopy shares it with the model's layer.

    remove_parametrizations deletes the weight property from the layer's class: on the shared
    class it would take the trained model's weight away too.
    """
    cls = type(layer)
    layer.__class__ = type(cls.__name__, cls.__bases__, {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")})


def plain_weights(model):
    """Fold each layer's weight reparametrization (weight_norm, spectral_norm) into a plain weight with the same values.

    torch's pruning replaces a layer's `weight` parameter; a reparametrized weight is computed, not
    a parameter, so it must be folded first. Returns the weight-normed layers, with their kind and
    dim, for restore_weight_norms to normalize again after pruning.
    """
    normed = []
    for layer in model.modules():
        if torch.nn.utils.parametrize.is_parametrized(layer, "weight"):
            norms = [p for p in layer.parametrizations.weight if type(p).__name__ == "_WeightNorm"]
            if len(norms) == len(layer.parametrizations.weight) == 1:
                normed.append((layer, "parametrization", norms[0].dim))
            own_class(layer)
            torch.nn.utils.parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
        hooks = [h for h in layer._forward_pre_hooks.values() if getattr(h, "name", None) == "weight"]
        for hook in hooks:
            if type(hook).__name__ == "WeightNorm":
                normed.append((layer, "hook", hook.dim))
                torch.nn.utils.remove_weight_norm(layer)
            elif type(hook).__name__ == "SpectralNorm":
                torch.nn.utils.remove_spectral_norm(layer)
    return normed


def restore_weight_norms(normed):
    """Weight-normalize the pruned layers again as the model had them: same outputs, zeros kept, same state_dict keys."""
    for layer, kind, dim in normed:
        if kind == "parametrization":
            torch.nn.utils.parametrizations.weight_norm(layer, dim=dim)
        else:
            torch.nn.utils.weight_norm(layer, dim=dim)

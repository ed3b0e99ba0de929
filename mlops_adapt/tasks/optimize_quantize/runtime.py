"""Code the optimize-quantize recipe copies into scripts (it reads the source, never imports it)."""

from __future__ import annotations

import copy
import io

import torch


def state_dict_megabytes(model):
    """Size of a model's serialized weights, in MB."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes / 1e6


def cast_floats(value, dtype):
    """The value with each floating-point tensor in it (in tuples, lists and dicts too) cast to dtype."""
    if isinstance(value, torch.Tensor):
        return value.to(dtype) if value.is_floating_point() else value
    if isinstance(value, (tuple, list)):
        return type(value)(cast_floats(item, dtype) for item in value)
    if isinstance(value, dict):
        return {key: cast_floats(item, dtype) for key, item in value.items()}
    return value


def float32_inputs(module, args, kwargs):
    """Forward pre-hook: the float64 tensors the script feeds reach the float32 model as float32."""
    return cast_floats(args, torch.float32), cast_floats(kwargs, torch.float32)


def float64_outputs(module, args, output):
    """Forward hook: the model's results go back to the script as float64, as the float64 model's did."""
    return cast_floats(output, torch.float64)


def float64_io(model):
    """The float32 model, made to take and return float64 tensors like the float64 model it replaces."""
    model.register_forward_pre_hook(float32_inputs, with_kwargs=True)
    model.register_forward_hook(float64_outputs)
    return model


def folded_copy(model):
    """A copy of the model with each parametrization (weight_norm, spectral_norm) folded into a plain tensor of the same value.

    quantize_dynamic converts plain Linear layers only: a parametrized one is a subclass it
    refuses. Folded in eval mode (spectral_norm runs no power iteration there), then set back to
    the model's mode.
    """
    folded = copy.deepcopy(model).eval()
    for layer in folded.modules():
        if torch.nn.utils.parametrize.is_parametrized(layer):
            # deepcopy shares the parametrized class with the model's layer, and removing a
            # parametrization deletes its property from the class: the copy's layer gets its own.
            cls = type(layer)
            layer.__class__ = type(cls.__name__, cls.__bases__, {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")})
            for tensor_name in list(layer.parametrizations):
                torch.nn.utils.parametrize.remove_parametrizations(layer, tensor_name, leave_parametrized=True)
    return folded.train(model.training)

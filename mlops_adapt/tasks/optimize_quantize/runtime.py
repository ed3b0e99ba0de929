"""Code the optimize-quantize recipe copies into scripts (it reads the source, never imports it)."""

from __future__ import annotations

import io

import torch


def state_dict_megabytes(model):
    """Size of a model's serialized weights, in MB."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes / 1e6

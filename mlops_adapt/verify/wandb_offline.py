"""Reader for W&B offline runs: config, summary, history and exit status from `run-*.wandb` files.

wandb 0.31 writes no config.yaml or summary JSON offline, and ships no reader, so this parses the
file itself. The format is wandb-internal (pinned to wandb 0.31): a 7-byte header (":W&B", magic
0xBEE1, version), then LevelDB-log framing (32 KiB blocks; chunks with a 7-byte header: crc32,
length, type full/first/middle/last) around protobuf `Record` messages.

Stdlib-only apart from wandb's own protobuf module, because testgen inlines this source into
the W&B tests users keep.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

WANDB_HEADER_IDENT = b":W&B"
WANDB_HEADER_LENGTH = 7
BLOCK_SIZE = 32 * 1024
CHUNK_HEADER = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def iter_record_bytes(data: bytes):
    """Yield the raw protobuf bytes of every record in a `.wandb` file's content."""
    if not data.startswith(WANDB_HEADER_IDENT):
        raise ValueError("not a W&B run file (missing ':W&B' header)")
    offset = WANDB_HEADER_LENGTH
    pending = b""
    while offset + CHUNK_HEADER <= len(data):
        left_in_block = BLOCK_SIZE - (offset % BLOCK_SIZE)
        if left_in_block < CHUNK_HEADER:
            offset += left_in_block  # the block tail is zero padding
            continue
        _crc, length, kind = struct.unpack_from("<IHB", data, offset)
        offset += CHUNK_HEADER
        if kind == 0 and length == 0:
            offset += BLOCK_SIZE - (offset % BLOCK_SIZE) if offset % BLOCK_SIZE else 0
            continue
        chunk = data[offset : offset + length]
        offset += length
        if kind == FULL:
            yield chunk
            pending = b""
        elif kind == FIRST:
            pending = chunk
        elif kind == MIDDLE:
            pending += chunk
        elif kind == LAST:
            yield pending + chunk
            pending = b""


def _json_value(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def _item_key(item) -> str:
    if item.key:
        return item.key
    return "/".join(item.nested_key)


def read_offline_run(path) -> dict:
    """Config, summary, history rows, run info and exit code of one offline run file."""
    from google.protobuf.message import DecodeError
    from wandb.proto import wandb_internal_pb2

    config: dict = {}
    summary: dict = {}
    history: list = []
    run: dict = {}
    exit_code = None
    for raw in iter_record_bytes(Path(path).read_bytes()):
        record = wandb_internal_pb2.Record()
        try:
            record.ParseFromString(raw)
        except DecodeError:
            continue  # a torn record at the end of a killed run
        kind = record.WhichOneof("record_type")
        if kind == "run":
            run = {
                "id": record.run.run_id,
                "project": record.run.project,
                "name": record.run.display_name,
            }
            for item in record.run.config.update:
                config[_item_key(item)] = _json_value(item.value_json)
        elif kind == "config":
            for item in record.config.update:
                config[_item_key(item)] = _json_value(item.value_json)
            for item in record.config.remove:
                config.pop(_item_key(item), None)
        elif kind == "summary":
            for item in record.summary.update:
                summary[_item_key(item)] = _json_value(item.value_json)
            for item in record.summary.remove:
                summary.pop(_item_key(item), None)
        elif kind == "history":
            row = {_item_key(item): _json_value(item.value_json) for item in record.history.item}
            history.append(row)
        elif kind == "exit":
            exit_code = record.exit.exit_code
    # wandb stores config values as {"value": v, "desc": ...}; unwrap them.
    config = {
        k: (v.get("value") if isinstance(v, dict) and "value" in v else v)
        for k, v in config.items()
    }
    config.pop("_wandb", None)
    return {
        "run": run,
        "config": config,
        "summary": summary,
        "history": history,
        "exit_code": exit_code,
    }


def find_offline_runs(wandb_dir) -> list:
    """Every `run-*.wandb` file under a WANDB_DIR, oldest first."""
    return sorted(Path(wandb_dir).glob("**/offline-run-*/run-*.wandb"))

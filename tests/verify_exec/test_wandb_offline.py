"""The W&B offline-run reader, on real runs written by wandb in offline mode."""

import struct

import pytest

from mlops_adapt.verify.sandbox import run_script
from mlops_adapt.verify.wandb_offline import find_offline_runs, iter_record_bytes, read_offline_run

SCRIPT = """
import wandb
run = wandb.init(project="reader-test", config={"lr": 0.1, "layers": [8, 4], "blob": "x" * 70000})
for step in range(3):
    wandb.log({"loss": 1.0 / (step + 1)}, step=step)
wandb.log({"accuracy": 0.75})
run.summary["best_loss"] = 0.25
wandb.finish()
"""


@pytest.mark.slow
def test_reads_config_summary_history_and_exit_of_a_real_offline_run(tmp_path):
    run = run_script(SCRIPT, timeout=180, root=tmp_path)
    assert run.ok, run.stderr
    [path] = find_offline_runs(run.wandb_dir)
    data = read_offline_run(path)
    assert data["run"]["project"] == "reader-test"
    assert data["config"]["lr"] == 0.1 and data["config"]["layers"] == [8, 4]
    # 70 kB of config spans more than two 32 KiB blocks: the FIRST/MIDDLE/LAST chunks were joined.
    assert data["config"]["blob"] == "x" * 70000
    assert [row["loss"] for row in data["history"] if "loss" in row][:3] == [1.0, 0.5, 1.0 / 3]
    assert data["summary"]["accuracy"] == 0.75 and data["summary"]["best_loss"] == 0.25
    assert data["exit_code"] == 0


def _chunk(kind: int, payload: bytes) -> bytes:
    return struct.pack("<IHB", 0, len(payload), kind) + payload


def test_framing_joins_chunks_and_skips_block_padding():
    header = b":W&B" + struct.pack("<HB", 0xBEE1, 0)
    first_len = 32 * 1024 - len(header) - 7 - 3  # leaves 3 bytes of padding at the block end
    body = (
        header + _chunk(2, b"a" * first_len) + b"\0\0\0" + _chunk(4, b"tail") + _chunk(1, b"whole")
    )
    assert list(iter_record_bytes(body)) == [b"a" * first_len + b"tail", b"whole"]


def test_rejects_files_that_are_not_wandb_runs():
    with pytest.raises(ValueError, match="not a W&B run file"):
        list(iter_record_bytes(b"PK\x03\x04 something else"))

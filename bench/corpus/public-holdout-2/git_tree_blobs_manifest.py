"""A manifest-driven dataset: samples written as .npy files plus manifest.json (row counts per
file), committed with Path objects; the committed tree is then walked (repo.head.commit.tree /
"samples", blob.path, blob.size) and checked against the manifest; a later update adds a file."""
import json
from pathlib import Path

import numpy as np
from git import Repo

ROOT = Path("samples")


def write_split(name, n, seed):
    rng = np.random.default_rng(seed)
    np.save(ROOT / f"{name}.npy", rng.integers(0, 255, size=(n, 8), dtype=np.uint8))
    return n


def write_manifest(counts):
    Path("manifest.json").write_text(json.dumps(counts, indent=1, sort_keys=True))


def check_tree(repo, label):
    manifest = json.loads(Path("manifest.json").read_text())
    tree = repo.head.commit.tree / "samples"
    blobs = sorted((b.path, b.size) for b in tree.blobs)
    print(f"{label}: {len(blobs)} blobs, {sum(size for _, size in blobs)} bytes in samples/")
    for path, size in blobs:
        rows = np.load(path).shape[0]
        print(f"  {path}: rows={rows} manifest={manifest[Path(path).name]} bytes={size}")


if __name__ == "__main__":
    ROOT.mkdir(exist_ok=True)
    repo = Repo.init(".")
    counts = {"train.npy": write_split("train", 120, 0), "val.npy": write_split("val", 30, 1)}
    write_manifest(counts)
    repo.index.add([str(p) for p in sorted(ROOT.glob("*.npy"))] + ["manifest.json"])
    repo.index.commit("samples v1")
    check_tree(repo, "v1")

    counts["test.npy"] = write_split("test", 40, 2)
    write_manifest(counts)
    repo.index.add([str(ROOT / "test.npy"), "manifest.json"])
    repo.index.commit("samples v2: add test split")
    check_tree(repo, "v2")

"""Benchmark: analysis time against nesting depth and file size, and peak memory on a 50k-line file.

    python bench/analysis_scaling.py            # nesting 10/20/40, files of 1k/10k/50k lines
    python bench/analysis_scaling.py --quick    # nesting only (seconds)
    python bench/analysis_scaling.py --depths 10,16,20 --sizes 1000,10000   # other sizes

"analysis" is the parse plus the shared scan (what every recipe and the verifier read);
"apply" is the whole `mlops-adapt apply --backend recipe --verify static` path for track-mlflow.
CPU time is printed besides wall time: the machine is shared, and wall time varies with the load.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlops_adapt.analysis.facts import analyze  # noqa: E402
from mlops_adapt.engine import adapt  # noqa: E402
from mlops_adapt.options import AdaptOptions  # noqa: E402

HEAD = (
    "import numpy as np\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "X = np.zeros((8, 2))\n"
    "y = np.array([0, 1] * 4)\n"
)


def nested_ifs(depth: int) -> str:
    """A training script whose model is fitted under `depth` nested ifs (issue 14's shape)."""
    lines, indent = [HEAD.rstrip("\n")], ""
    for level in range(depth):
        lines.append(f"{indent}if X.shape[0] > {level}:")
        indent += "    "
        lines.append(f"{indent}value_{level} = {level}")
    lines += [
        f"{indent}model = LogisticRegression(C=1.0)",
        f"{indent}model.fit(X, y)",
        f"{indent}accuracy = model.score(X, y)",
        f'{indent}print(f"accuracy: {{accuracy:.3f}}")',
    ]
    return "\n".join(lines) + "\n"


def long_script(target_lines: int) -> str:
    """A flat training script padded with helper functions and loops to about `target_lines` lines."""
    parts = [HEAD]
    count, i = 4, 0
    while count < target_lines - 6:
        parts.append(
            f"\n\ndef feature_{i}(values, scale={i % 7 + 1}):\n"
            f'    """Helper {i}: scales, clips and sums values."""\n'
            f"    out = []\n"
            f"    for v in values:\n"
            f"        if v > {i % 5}:\n"
            f"            out.append(min(v * scale, 10))\n"
            f"    return sum(out) + {i}\n"
        )
        count += 9
        i += 1
    parts.append(
        "\nmodel = LogisticRegression(C=1.0, max_iter=100)\n"
        "model.fit(X, y)\n"
        "accuracy = model.score(X, y)\n"
        'print(f"accuracy: {accuracy:.3f}")\n'
    )
    return "".join(parts)


def timed(action) -> tuple[float, float, object]:
    start, start_cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - start, time.process_time() - start_cpu, value


def analyse(source: str):
    return analyze(source)  # parse, scan, trained models: the facts recipes and the verifier read


def report(label: str, source: str, with_apply: bool = True) -> None:
    lines = len(source.splitlines())
    wall, cpu, _ = timed(lambda: analyse(source))
    text = f"{label:<22} {lines:>6} lines  analysis wall {wall:7.2f} s  cpu {cpu:7.2f} s"
    if with_apply:
        options = AdaptOptions(backend="recipe", verify="static")
        # A fresh text, so the apply does not reuse the parse and scan timed above.
        wall, cpu, result = timed(lambda: adapt(source + "\n# apply\n", "track-mlflow", options))
        text += f"  | apply track-mlflow wall {wall:7.2f} s  cpu {cpu:7.2f} s  ({result.status})"
    print(text, flush=True)


def peak_memory(source: str) -> None:
    text = source + "\n# memory\n"
    tracemalloc.start()
    analyse(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of the analysis of {len(text.splitlines())} lines: {peak / 2**20:.0f} MiB (tracemalloc)")


def _numbers(flag: str, default: tuple[int, ...]) -> tuple[int, ...]:
    if flag in sys.argv:
        return tuple(int(n) for n in sys.argv[sys.argv.index(flag) + 1].split(","))
    return default


def main() -> None:
    adapt(nested_ifs(2), "track-mlflow", AdaptOptions(backend="recipe"))  # warm imports
    for depth in _numbers("--depths", (10, 20, 40)):
        report(f"nested ifs depth {depth}", nested_ifs(depth))
    if "--quick" in sys.argv:
        return
    sizes = _numbers("--sizes", (1_000, 10_000, 50_000))
    sources = {size: long_script(size) for size in sizes}
    for size, source in sources.items():
        report(f"file of {size // 1000}k lines", source)
    peak_memory(sources[max(sizes)])


if __name__ == "__main__":
    main()

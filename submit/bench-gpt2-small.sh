#!/usr/bin/env bash
# Trains GPT-2 small (12 layers, 12 heads, width 768, GPT-2 BPE vocabulary 50257, block 256,
# batch 4) on the embedded corpus with sparklm and with the PyTorch peer
# (../shared/reference/torch_gpt.py --ids, the same token ids as little-endian uint16), on the same
# cores, one after the other; prints achieved GFLOP/s against the sgemm peak measured in the same
# run, and as its last line:
#   ratio: R sparklm_tok_s: A torch_tok_s: B sparklm_rss_mb: X torch_rss_mb: Y
# Usage: submit/bench-gpt2-small.sh [ITERS] (default 20). Needs python3-torch.
set -euo pipefail
ITERS="${1:-20}"
export SPARKLM_HEAP="${SPARKLM_HEAP:-5g}"
source "$(dirname "$0")/common.sh"
SHARED="${SPARKLM_SHARED:-$ROOT/../shared}"
PY="${PYTHON:-/usr/bin/python3}"
[ -x "$PY" ] || PY=python3
IDS="${TMPDIR:-/tmp}/sparklm-gpt2-ids.$$.bin"
OUT="${TMPDIR:-/tmp}/sparklm-gpt2-bench.$$"
trap 'rm -f "$IDS" "$OUT".*' EXIT

java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.bench.Gpt2SmallBench "$IDS" "$ITERS" | tee "$OUT.sparklm" >&2
"${PEER_ENV[@]}" "$PY" "$SHARED/reference/torch_gpt.py" --ids "$IDS" --vocab 50257 --layers 12 --heads 12 --dim 768 --block 256 --batch 4 \
  --iters "$ITERS" --eval-batches 2 --threads "$(nproc)" | tee "$OUT.torch" >&2

A=$(awk '/^tokens_per_second:/ {print $2}' "$OUT.sparklm")
X=$(awk '/^peak_rss_mb:/ {print $2}' "$OUT.sparklm")
field() { "$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])[sys.argv[2]])' "$OUT.torch" "$1"; }
B=$(field tokens_per_second)
Y=$(field peak_rss_mb)
R=$(awk -v a="$A" -v b="$B" 'BEGIN {printf "%.3f", a / b}')
echo "ratio: $R sparklm_tok_s: $A torch_tok_s: $B sparklm_rss_mb: $X torch_rss_mb: $Y"

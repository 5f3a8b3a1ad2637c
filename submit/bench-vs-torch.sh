#!/usr/bin/env bash
# Trains the nanoGPT CPU configuration with sparklm and with the PyTorch peer
# (../shared/reference/torch_gpt.py) on the same corpus and cores, one after the other, and
# prints as its last line: ratio: R sparklm_tok_s: A torch_tok_s: B sparklm_val: X torch_val: Y threads_speedup: S
# where S is sparklm's tokens/s on all cores over its tokens/s pinned to one core (taskset), same run.
# Usage: submit/bench-vs-torch.sh [ITERS] (default 2000). Needs python3-torch (apt-get install python3-torch).
set -euo pipefail
ITERS="${1:-2000}"
source "$(dirname "$0")/common.sh"
SHARED="${SPARKLM_SHARED:-$ROOT/../shared}"
DATA="$SHARED/data/tinyshakespeare.txt"
PY="${PYTHON:-/usr/bin/python3}"
[ -x "$PY" ] || PY=python3
ONE="${TMPDIR:-/tmp}/sparklm-bench-1.$$"
ALL="${TMPDIR:-/tmp}/sparklm-bench.$$"
TORCH="${TMPDIR:-/tmp}/torch-bench.$$"
trap 'rm -f "$ONE" "$ALL" "$TORCH"' EXIT

taskset -c 0 java "${JAVA_FLAGS[@]}" -Dsparklm.threads=1 -cp "$SPARKLM_CP" io.sparklm.bench.LocalTrainBench "$DATA" "$ITERS" | tee "$ONE" >&2
java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.bench.LocalTrainBench "$DATA" "$ITERS" | tee "$ALL" >&2
"${PEER_ENV[@]}" "$PY" "$SHARED/reference/torch_gpt.py" --data "$DATA" --iters "$ITERS" --threads "$(nproc)" | tee "$TORCH" >&2

A=$(awk '/^tokens_per_second:/ {print $2}' "$ALL")
A1=$(awk '/^tokens_per_second:/ {print $2}' "$ONE")
X=$(awk '/^val_loss:/ {print $2}' "$ALL")
B=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["tokens_per_second"])' "$TORCH")
Y=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["val_loss"])' "$TORCH")
R=$(awk -v a="$A" -v b="$B" 'BEGIN {printf "%.3f", a / b}')
S=$(awk -v a="$A" -v b="$A1" 'BEGIN {printf "%.3f", a / b}')
echo "ratio: $R sparklm_tok_s: $A torch_tok_s: $B sparklm_val: $X torch_val: $Y threads_speedup: $S"

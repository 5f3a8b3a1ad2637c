#!/usr/bin/env bash
# Parameter-averaging scaling on this machine: tokens/s of 1 and 2 workers (H = 50), the share of
# round time outside local steps, and validation loss of 2 workers (H = 10) against 1 worker at
# equal total tokens, on ../shared/data/tinyshakespeare.txt. Last line:
#   speedup_2: S overhead: F val_1: X val_2: Y
# Usage: submit/bench-scaling.sh [TOTAL_STEPS] (worker-steps of the quality comparison, default 1000).
set -euo pipefail
source "$(dirname "$0")/common.sh"
SHARED="${SPARKLM_SHARED:-$ROOT/../shared}"
OUT=$(mktemp)
java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.bench.ScalingBench "$SHARED/data/tinyshakespeare.txt" "${1:-1000}" | tee "$OUT" >&2
get() { awk -v k="$1:" '$1 == k {print $2}' "$OUT"; }
echo "speedup_2: $(get speedup_2) overhead: $(get overhead_2) val_1: $(get val_1) val_2: $(get val_2)"
rm -f "$OUT"

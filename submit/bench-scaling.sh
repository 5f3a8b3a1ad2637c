#!/usr/bin/env bash
# Parameter-averaging scaling on this machine: tokens/s of 1 and 2 workers (H = 50), the share of
# round time outside local steps, and validation loss of 2 workers (H = 10) against 1 worker at
# equal total tokens, on ../shared/data/tinyshakespeare.txt (ScalingBench); then DiLoCo's gap in
# the quickstart's setting (DilocoBench: embedded Europarl text, 4 workers, H = 50 and the Nesterov
# outer optimizer against H = 1 at equal tokens, validation loss of the first minus the second).
# Last line:
#   speedup_2: S overhead: F val_1: X val_2: Y diloco_gap: G
# Usage: submit/bench-scaling.sh [TOTAL_STEPS] [DILOCO_STEPS] [key=value…]
#   TOTAL_STEPS: worker-steps of ScalingBench's quality comparison (default 1000);
#   DILOCO_STEPS: steps per worker of DilocoBench's runs (default 1600, the reference);
#   key=value: DilocoBench overrides of the DiLoCo run (e.g. outer.lr=1.0).
set -euo pipefail
source "$(dirname "$0")/common.sh"
SHARED="${SPARKLM_SHARED:-$ROOT/../shared}"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.bench.ScalingBench "$SHARED/data/tinyshakespeare.txt" "${1:-1000}" | tee "$OUT" >&2
java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.bench.DilocoBench "${2:-1600}" "${@:3}" | tee -a "$OUT" >&2
get() { awk -v k="$1:" '$1 == k {print $2}' "$OUT"; }
echo "speedup_2: $(get speedup_2) overhead: $(get overhead_2) val_1: $(get val_1) val_2: $(get val_2) diloco_gap: $(get diloco_gap)"

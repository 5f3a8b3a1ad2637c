#!/usr/bin/env bash
# The RLHF chain on Spark (2 workers, local mode), its gain measured by a rule no model sees: the
# share of a response's words that are WordNet words times its distinct-1 (rlhf.TruePreference).
#   sparklm pipeline --config conf/rlhf.yaml   pretrain → SFT → preference pairs labelled by the rule
#                                               → reward model → DPO → PPO against the reward model
#   sparklm compare                             SFT against PPO and against DPO on held-out prompts
# Last line:
#   win_rate: W true_score_sft: S0 true_score_ppo: S1 kl: K rm_accuracy: A dpo_win_rate: D
# W: how often PPO's response beats SFT's by the rule (ties half); K: mean KL(PPO ‖ SFT) per response;
# A: the reward model's held-out pairwise accuracy against the rule's labels.
# Held-out prompts are the first 500 of europarl-prompts; preference pairs come from the rest (6 responses
# a prompt, paired 1-2, 3-4, 5-6).
# Usage: submit/demo-rlhf.sh [OUT_DIR]   (default runs/rlhf; a finished stage is skipped on a rerun; about 12 minutes on 2 cores)
set -euo pipefail
source "$(dirname "$0")/common.sh"
OUT="${1:-$ROOT/runs/rlhf}"
run() { java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.cli.Main "$@"; }
CONFIG=$(mktemp --suffix=.yaml)
sed "s#dir: runs/rlhf#dir: $OUT#" "$ROOT/conf/rlhf.yaml" > "$CONFIG"
run pipeline --config "$CONFIG" >&2
HELD_OUT=(data.skipPrompts=0 data.maxPrompts=500 "data.output=$OUT/compare" spark.master=local[2])
PPO=$(run compare "compare.a=$OUT/sft/model" "compare.b=$OUT/ppo/model" "${HELD_OUT[@]}" | tail -1)
DPO=$(run compare "compare.a=$OUT/sft/model" "compare.b=$OUT/dpo/model" "${HELD_OUT[@]}" | tail -1)
echo "ppo against sft: $PPO" >&2
echo "dpo against sft: $DPO" >&2
get() { echo "$1" | sed -n "s/.*$2: \([-0-9.]*\).*/\1/p"; }
RM=$(sed -n 's/.*"pairwise_accuracy" *: *\([-0-9.eE]*\).*/\1/p' "$OUT/reward/eval.json")
echo "win_rate: $(get "$PPO" win_rate) true_score_sft: $(get "$PPO" true_score_a) true_score_ppo: $(get "$PPO" true_score_b)" \
  "kl: $(get "$PPO" kl) rm_accuracy: $RM dpo_win_rate: $(get "$DPO" win_rate)"
rm -f "$CONFIG"

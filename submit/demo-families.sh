#!/usr/bin/env bash
# Trains every model family on Spark (2 workers, local mode) on data shipped in Maven artifacts and
# prints, per family, its validation metric beside an honest floor, then how many beat it:
#   family: mlm metric: val_loss value: X baseline: B          B: the unigram model of the validation tokens
#   family: classify metric: macro_f1 value: X baseline: B     B: always the majority class (run with and without class weights)
#   family: contrastive metric: mrr value: X baseline: B       B: ranking the candidates at random
#   family: seq2seq metric: bleu value: X baseline: B          B: copying the source (character BLEU-4)
#   families: N ok
# Data: BERT pretrains on the embedded Europarl text; the others on WordNet 3.1's noun synsets
# (data.input=wordnet-lexfile, wordnet-words, wordnet-definition). Usage:
#   submit/demo-families.sh [OUT_DIR] [ROUNDS]   (defaults runs/families, 24 rounds of 20 local steps;
#   about 15 minutes on 2 cores)
set -euo pipefail
source "$(dirname "$0")/common.sh"
OUT="${1:-$ROOT/runs/families}"
ROUNDS="${2:-24}"
run() { java "${JAVA_FLAGS[@]}" -cp "$SPARKLM_CP" io.sparklm.cli.Main "$@" spark.master=local[2]; }
field() { sed -n "s/.*\"$2\" *: *\([-0-9.eE]*\).*/\1/p" "$1/eval.json"; }
COMMON=(train.workers=2 "train.rounds=$ROUNDS" train.localSteps=20 train.warmup=20 train.evalEvery=0 train.checkpointEvery=0 train.evalBlocks=1000 run.samples=0)
ok=0
LINES=()
report() { # family metric value baseline higher|lower
  LINES+=("family: $1 metric: $2 value: $3 baseline: $4")
  if awk -v x="$3" -v b="$4" -v d="$5" 'BEGIN { exit !((d == "higher" && x > b * 1.1 + 0.005) || (d == "lower" && x < b - 0.05)) }'; then ok=$((ok + 1)); fi
}

rm -rf "$OUT" && mkdir -p "$OUT"
echo "== mlm: BERT (post-LN) on the embedded Europarl text, WordPiece" >&2
run tokenize data.input=embedded "data.output=$OUT/mlm" tokenizer.kind=wordpiece tokenizer.vocabSize=4000 shards.blockSize=64 >&2
run pretrain objective=mlm "data.shards=$OUT/mlm" "run.dir=$OUT/mlm-run" model.norm=post model.layers=2 model.heads=4 model.width=128 \
  train.batchSize=16 train.lr=1e-3 "${COMMON[@]}" >&2
report mlm val_loss "$(field "$OUT/mlm-run" val_loss)" "$(field "$OUT/mlm-run" unigram_loss)" lower

echo "== classify: a gloss's lexicographer file (26 noun classes), attention pooling" >&2
run tokenize data.input=wordnet-lexfile "data.output=$OUT/lexfile" tokenizer.kind=wordpiece tokenizer.vocabSize=4000 shards.blockSize=48 >&2
for weights in false true; do
  run pretrain objective=classify "data.shards=$OUT/lexfile" "run.dir=$OUT/classify-weights-$weights" classify.classWeights=$weights \
    model.layers=2 model.heads=4 model.width=64 train.batchSize=32 train.lr=2e-3 "${COMMON[@]}" >&2
  echo "classify class weights $weights: macro_f1 $(field "$OUT/classify-weights-$weights" macro_f1) accuracy $(field "$OUT/classify-weights-$weights" accuracy)" >&2
done
report classify macro_f1 "$(field "$OUT/classify-weights-true" macro_f1)" "$(field "$OUT/classify-weights-true" majority_macro_f1)" higher
LINES+=("classify macro_f1 without class weights: $(field "$OUT/classify-weights-false" macro_f1) with: $(field "$OUT/classify-weights-true" macro_f1)")

echo "== contrastive: a definition retrieved from its synset's words, shared encoder, InfoNCE" >&2
run tokenize data.input=wordnet-words "data.output=$OUT/words" tokenizer.kind=wordpiece tokenizer.vocabSize=4000 shards.blockSize=32 >&2
run pretrain objective=contrastive "data.shards=$OUT/words" "run.dir=$OUT/contrastive-run" model.layers=2 model.heads=4 model.width=64 \
  train.batchSize=32 train.lr=2e-3 "${COMMON[@]}" >&2
report contrastive mrr "$(field "$OUT/contrastive-run" mrr)" "$(field "$OUT/contrastive-run" chance_mrr)" higher

echo "== seq2seq: a word's definition (a dictionary), characters, encoder-decoder" >&2
run tokenize data.input=wordnet-definition "data.output=$OUT/definition" tokenizer.kind=char shards.blockSize=64 >&2
run pretrain objective=seq2seq "data.shards=$OUT/definition" "run.dir=$OUT/seq2seq-run" model.layers=2 model.heads=4 model.width=64 \
  train.batchSize=16 train.lr=2e-3 "${COMMON[@]}" train.evalBlocks=300 >&2
report seq2seq bleu "$(field "$OUT/seq2seq-run" bleu)" "$(field "$OUT/seq2seq-run" copy_bleu)" higher

printf '%s\n' "${LINES[@]}"
echo "families: $ok ok"

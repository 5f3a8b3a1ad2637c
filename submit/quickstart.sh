#!/usr/bin/env bash
# Builds sparklm, then in Spark local mode: tokenizes the embedded Europarl English corpus into
# runs/quickstart/ (character tokenizer, Parquet shards) and pretrains a small GPT there with
# 2 workers and parameter averaging; prints a log line per round and a sample at the end.
# Extra arguments go to pretrain (for example train.rounds=5).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf runs/quickstart
submit/sparklm tokenize data.input=embedded data.output=runs/quickstart
exec submit/sparklm pretrain data.shards=runs/quickstart run.dir=runs/quickstart train.rounds=40 train.evalEvery=10 train.checkpointEvery=10 "$@"

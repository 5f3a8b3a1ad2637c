#!/usr/bin/env bash
# Builds sparklm, trains a small GPT on the embedded Europarl corpus, saves it under runs/quickstart
# and prints samples. Extra arguments are passed to train-local (for example --steps 200).
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit/sparklm train-local --out runs/quickstart "$@"

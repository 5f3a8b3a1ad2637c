#!/usr/bin/env bash
# sparklm on YARN (cluster mode; config files named with --config are shipped with --files):
#   submit/spark-submit-yarn.sh pretrain --config conf/pretrain-diloco-cluster.yaml
# Executors: SPARKLM_EXECUTORS (default = train.workers you pass, else 2), each SPARKLM_EXECUTOR_CORES cores, one task each.
# GPUs: SPARKLM_GPUS_PER_EXECUTOR=1 asks YARN for one GPU per executor (spark.executor.resource.gpu.amount).
set -euo pipefail
source "$(dirname "$0")/spark-submit-common.sh"
GPU_OPTS=()
if [ -n "${SPARKLM_GPUS_PER_EXECUTOR:-}" ]; then
  GPU_OPTS=(--conf spark.executor.resource.gpu.amount="$SPARKLM_GPUS_PER_EXECUTOR" --conf spark.task.resource.gpu.amount=1
            --conf spark.executor.resource.gpu.discoveryScript="${SPARK_HOME:-/opt/spark}/examples/src/main/scripts/getGpusResources.sh")
fi
exec "$SPARK_SUBMIT" --master yarn --deploy-mode cluster \
  --num-executors "${SPARKLM_EXECUTORS:-2}" --executor-cores "${SPARKLM_EXECUTOR_CORES:-4}" \
  --executor-memory "${SPARKLM_EXECUTOR_MEMORY:-8g}" --conf spark.task.cpus="${SPARKLM_EXECUTOR_CORES:-4}" \
  "${GPU_OPTS[@]}" "${FILES_OPT[@]}" --class io.sparklm.cli.Main "$JAR" "${ARGS[@]}"

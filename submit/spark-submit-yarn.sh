#!/usr/bin/env bash
# sparklm on YARN, cluster mode (the driver runs in the ApplicationMaster's container):
#   submit/spark-submit-yarn.sh pretrain --config conf/pretrain-diloco-cluster.yaml
# Needs HADOOP_CONF_DIR or YARN_CONF_DIR. Files named with --config travel with --files into the
# containers' working directories, where the driver reads them; SPARKLM_DEPLOY_MODE=client keeps the
# driver here, reading them where they are.
# Executors: SPARKLM_EXECUTORS (default 2), each SPARKLM_EXECUTOR_CORES cores (default 4) and one task
# of that many CPUs; SPARKLM_EXECUTOR_MEMORY (default 8g), SPARKLM_DRIVER_MEMORY (default 4g).
# GPUs: SPARKLM_GPUS_PER_EXECUTOR=1 asks YARN for one GPU per executor (spark.executor.resource.gpu.amount).
set -euo pipefail
CONFIG_DEPLOY_MODE="${SPARKLM_DEPLOY_MODE:-cluster}"
source "$(dirname "$0")/spark-submit-common.sh"
GPU_OPTS=()
if [ -n "${SPARKLM_GPUS_PER_EXECUTOR:-}" ]; then
  GPU_OPTS=(--conf spark.executor.resource.gpu.amount="$SPARKLM_GPUS_PER_EXECUTOR" --conf spark.task.resource.gpu.amount=1
            --conf spark.executor.resource.gpu.discoveryScript="${SPARKLM_GPU_DISCOVERY_SCRIPT:-${SPARK_HOME:-/opt/spark}/examples/src/main/scripts/getGpusResources.sh}")
fi
exec "$SPARK_SUBMIT" --master yarn --deploy-mode "$CONFIG_DEPLOY_MODE" --name "sparklm ${ARGS[0]:-}" \
  --num-executors "${SPARKLM_EXECUTORS:-2}" --executor-cores "${SPARKLM_EXECUTOR_CORES:-4}" \
  --driver-memory "${SPARKLM_DRIVER_MEMORY:-4g}" \
  --executor-memory "${SPARKLM_EXECUTOR_MEMORY:-8g}" --conf spark.task.cpus="${SPARKLM_EXECUTOR_CORES:-4}" \
  "${GPU_OPTS[@]}" "${BLAS_OPTS[@]}" "${FILES_OPT[@]}" --class io.sparklm.cli.Main "$JAR" "${ARGS[@]}"

#!/usr/bin/env bash
# sparklm on a Spark standalone cluster:
#   SPARK_MASTER_URL=spark://host:7077 submit/spark-submit-standalone.sh pretrain --config conf/pretrain.yaml train.workers=8
# Client mode by default (the driver runs here and reads --config files where they are);
# SPARKLM_DEPLOY_MODE=cluster runs the driver on a worker, which then needs the jar and the config
# at the same absolute paths (a shared file system) or the config as a Hadoop URI (hdfs://...).
# One worker per executor core group: set SPARKLM_EXECUTOR_CORES and SPARKLM_TASK_CPUS alike (default 2) so each
# training task owns its cores. SPARKLM_EXECUTORS caps the executors (spark.cores.max = executors x cores).
set -euo pipefail
CONFIG_DEPLOY_MODE="${SPARKLM_DEPLOY_MODE:-client}"
CONFIG_SHIPPED_TO_CWD=false
source "$(dirname "$0")/spark-submit-common.sh"
: "${SPARK_MASTER_URL:?set SPARK_MASTER_URL=spark://host:7077}"
CORES="${SPARKLM_EXECUTOR_CORES:-2}"
MODE_OPTS=()
if [ -n "${SPARKLM_EXECUTORS:-}" ]; then
  MODE_OPTS+=(--total-executor-cores "$((SPARKLM_EXECUTORS * CORES))")
fi
if [ "$CONFIG_DEPLOY_MODE" = cluster ]; then
  # spark-submit waits for the driver and exits non-zero when it fails.
  MODE_OPTS+=(--conf spark.standalone.submit.waitAppCompletion=true)
fi
exec "$SPARK_SUBMIT" --master "$SPARK_MASTER_URL" --deploy-mode "$CONFIG_DEPLOY_MODE" --name "sparklm ${ARGS[0]:-}" \
  --driver-memory "${SPARKLM_DRIVER_MEMORY:-4g}" \
  --executor-memory "${SPARKLM_EXECUTOR_MEMORY:-4g}" --executor-cores "$CORES" \
  --conf spark.task.cpus="${SPARKLM_TASK_CPUS:-2}" "${MODE_OPTS[@]}" "${BLAS_OPTS[@]}" "${FILES_OPT[@]}" \
  --class io.sparklm.cli.Main "$JAR" "${ARGS[@]}"

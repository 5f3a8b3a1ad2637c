#!/usr/bin/env bash
# sparklm on a Spark standalone cluster (client mode; the driver runs here):
#   SPARK_MASTER_URL=spark://host:7077 submit/spark-submit-standalone.sh pretrain --config conf/pretrain.yaml train.workers=8
# One worker per executor core group: set SPARKLM_EXECUTOR_CORES and SPARKLM_TASK_CPUS alike (default 2) so each
# training task owns its cores.
set -euo pipefail
source "$(dirname "$0")/spark-submit-common.sh"
: "${SPARK_MASTER_URL:?set SPARK_MASTER_URL=spark://host:7077}"
exec "$SPARK_SUBMIT" --master "$SPARK_MASTER_URL" --deploy-mode client \
  --executor-memory "${SPARKLM_EXECUTOR_MEMORY:-4g}" --executor-cores "${SPARKLM_EXECUTOR_CORES:-2}" \
  --conf spark.task.cpus="${SPARKLM_TASK_CPUS:-2}" "${FILES_OPT[@]}" \
  --class io.sparklm.cli.Main "$JAR" "${ARGS[@]}"

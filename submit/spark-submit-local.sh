#!/usr/bin/env bash
# sparklm through spark-submit on this machine: submit/spark-submit-local.sh <command> [--config FILE] [key=value ...]
# Each task gets SPARKLM_TASK_CPUS cores (default 1) for BLAS and kernels.
set -euo pipefail
source "$(dirname "$0")/spark-submit-common.sh"
exec "$SPARK_SUBMIT" --master "local[${SPARKLM_CORES:-*}]" --conf spark.task.cpus="${SPARKLM_TASK_CPUS:-1}" \
  --class io.sparklm.cli.Main "$JAR" "${ARGS[@]}"

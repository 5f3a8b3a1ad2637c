#!/usr/bin/env bash
# sparklm on Kubernetes (cluster mode) with the image built from docker/Dockerfile:
#   K8S_API=https://host:6443 SPARKLM_IMAGE=registry/sparklm:0.1.0 submit/spark-submit-k8s.sh pretrain --config conf/pretrain-diloco-cluster.yaml
# The image holds the jar at /opt/sparklm/sparklm.jar and conf/ at /opt/sparklm/conf. A --config file
# that exists here travels with --files: spark-submit uploads it to SPARKLM_UPLOAD_PATH (a Hadoop URI
# the pods can read, e.g. s3a://bucket/spark-upload; spark.kubernetes.file.upload.path) and the driver
# pod downloads it into its working directory, where sparklm reads it. A path that is not a file here
# (/opt/sparklm/conf/NAME.yaml, inside the image) or a Hadoop URI (hdfs://, s3a://) is passed as it is.
set -euo pipefail
CONFIG_DEPLOY_MODE=cluster
source "$(dirname "$0")/spark-submit-common.sh"
: "${K8S_API:?set K8S_API=https://host:port}"
: "${SPARKLM_IMAGE:?set SPARKLM_IMAGE to an image built from docker/Dockerfile}"
UPLOAD_OPTS=()
if [ ${#FILES_OPT[@]} -gt 0 ]; then
  : "${SPARKLM_UPLOAD_PATH:?--config names a local file: set SPARKLM_UPLOAD_PATH to a Hadoop URI the pods can read, or give --config /opt/sparklm/conf/NAME.yaml or a Hadoop URI}"
  UPLOAD_OPTS=(--conf spark.kubernetes.file.upload.path="$SPARKLM_UPLOAD_PATH")
fi
exec "$SPARK_SUBMIT" --master "k8s://$K8S_API" --deploy-mode cluster --name sparklm \
  --conf spark.kubernetes.container.image="$SPARKLM_IMAGE" \
  --conf spark.kubernetes.namespace="${SPARKLM_NAMESPACE:-default}" \
  --conf spark.executor.instances="${SPARKLM_EXECUTORS:-2}" --conf spark.executor.cores="${SPARKLM_EXECUTOR_CORES:-4}" \
  --conf spark.task.cpus="${SPARKLM_EXECUTOR_CORES:-4}" --conf spark.executor.memory="${SPARKLM_EXECUTOR_MEMORY:-8g}" \
  --conf spark.driver.memory="${SPARKLM_DRIVER_MEMORY:-4g}" \
  "${UPLOAD_OPTS[@]}" "${BLAS_OPTS[@]}" "${FILES_OPT[@]}" --class io.sparklm.cli.Main local:///opt/sparklm/sparklm.jar "${ARGS[@]}"

#!/usr/bin/env bash
# sparklm on Kubernetes (cluster mode) with the image built from docker/Dockerfile:
#   K8S_API=https://host:6443 SPARKLM_IMAGE=registry/sparklm:0.1.0 submit/spark-submit-k8s.sh pretrain --config conf/pretrain-diloco-cluster.yaml
# The image holds the jar at /opt/sparklm/sparklm.jar and conf/ at /opt/sparklm/conf (use --config /opt/sparklm/conf/NAME.yaml
# for bundled files; other files named with --config are shipped with --files).
set -euo pipefail
source "$(dirname "$0")/spark-submit-common.sh"
: "${K8S_API:?set K8S_API=https://host:port}"
: "${SPARKLM_IMAGE:?set SPARKLM_IMAGE to an image built from docker/Dockerfile}"
exec "$SPARK_SUBMIT" --master "k8s://$K8S_API" --deploy-mode cluster --name sparklm \
  --conf spark.kubernetes.container.image="$SPARKLM_IMAGE" \
  --conf spark.kubernetes.namespace="${SPARKLM_NAMESPACE:-default}" \
  --conf spark.executor.instances="${SPARKLM_EXECUTORS:-2}" --conf spark.executor.cores="${SPARKLM_EXECUTOR_CORES:-4}" \
  --conf spark.task.cpus="${SPARKLM_EXECUTOR_CORES:-4}" --conf spark.executor.memory="${SPARKLM_EXECUTOR_MEMORY:-8g}" \
  "${FILES_OPT[@]}" --class io.sparklm.cli.Main local:///opt/sparklm/sparklm.jar "${ARGS[@]}"

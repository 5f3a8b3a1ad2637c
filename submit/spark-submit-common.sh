# Sourced by the spark-submit wrappers: builds target/sparklm.jar if needed, finds spark-submit and
# prepares the --config files for the deploy mode in CONFIG_DEPLOY_MODE (set by the wrapper):
#   client  the driver runs here and reads the file at its absolute path;
#   cluster the driver runs on the cluster: local files travel with --files and the driver reads
#           the shipped copy from its working directory (YARN, Kubernetes) or, in standalone cluster
#           mode (CONFIG_SHIPPED_TO_CWD=false), the absolute path, which the workers must see as
#           they see the jar.
# A Hadoop URI (hdfs://, s3a://, ...) or a path that is not a file here (one inside the image) is
# passed unchanged. Sets JAR, SPARK_SUBMIT, ARGS (the command line for sparklm) and FILES_OPT.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# OpenBLAS's spin time (Blas.THREAD_TIMEOUT), 14 unless set: exported for a driver that runs here,
# and in BLAS_OPTS for executors and for a driver in the cluster (YARN's ApplicationMaster, Kubernetes).
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-14}"
BLAS_OPTS=(--conf spark.executorEnv.OPENBLAS_THREAD_TIMEOUT="$OPENBLAS_THREAD_TIMEOUT"
           --conf spark.yarn.appMasterEnv.OPENBLAS_THREAD_TIMEOUT="$OPENBLAS_THREAD_TIMEOUT"
           --conf spark.kubernetes.driverEnv.OPENBLAS_THREAD_TIMEOUT="$OPENBLAS_THREAD_TIMEOUT")
JAR="${SPARKLM_JAR:-$ROOT/target/sparklm.jar}"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && "${MVN:-mvn}" -q -B -DskipTests package) >&2
fi
SPARK_SUBMIT="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
command -v "$SPARK_SUBMIT" >/dev/null || { echo "spark-submit not found: set SPARK_HOME or put it on PATH" >&2; exit 2; }
CONFIG_DEPLOY_MODE="${CONFIG_DEPLOY_MODE:-client}"
CONF_FILES=()
ARGS=()
while [ $# -gt 0 ]; do
  CONF=""
  if [ "$1" = "--config" ] && [ $# -gt 1 ]; then
    CONF="$2"; shift 2
  elif [[ "$1" == --config=?* ]]; then
    CONF="${1#--config=}"; shift
  fi
  if [ -n "$CONF" ]; then
    if [[ "$CONF" == *://* ]] || [ ! -f "$CONF" ]; then
      ARGS+=("--config" "$CONF")
    else
      ABS="$(cd "$(dirname "$CONF")" && pwd)/$(basename "$CONF")"
      CONF_FILES+=("$ABS")
      if [ "$CONFIG_DEPLOY_MODE" = cluster ] && [ "${CONFIG_SHIPPED_TO_CWD:-true}" = true ]; then
        ARGS+=("--config" "$(basename "$CONF")")
      else
        ARGS+=("--config" "$ABS")
      fi
    fi
  else
    ARGS+=("$1"); shift
  fi
done
FILES_OPT=()
if [ ${#CONF_FILES[@]} -gt 0 ]; then
  FILES_OPT=(--files "$(IFS=,; echo "${CONF_FILES[*]}")")
fi

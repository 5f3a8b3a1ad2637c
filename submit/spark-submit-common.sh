# Sourced by the spark-submit wrappers: builds target/sparklm.jar if needed and finds spark-submit.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${SPARKLM_JAR:-$ROOT/target/sparklm.jar}"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && "${MVN:-mvn}" -q -B -DskipTests package) >&2
fi
SPARK_SUBMIT="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
command -v "$SPARK_SUBMIT" >/dev/null || { echo "spark-submit not found: set SPARK_HOME or put it on PATH" >&2; exit 2; }
# Settings files named with --config are shipped with the job and read from the working directory.
CONF_FILES=()
ARGS=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--config" ] && [ $# -gt 1 ]; then
    CONF_FILES+=("$2"); ARGS+=("--config" "$(basename "$2")"); shift 2
  else
    ARGS+=("$1"); shift
  fi
done
FILES_OPT=()
if [ ${#CONF_FILES[@]} -gt 0 ]; then
  FILES_OPT=(--files "$(IFS=,; echo "${CONF_FILES[*]}")")
fi

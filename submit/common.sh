# Sourced by the scripts in submit/: builds the project once and sets SPARKLM_CP and JAVA_FLAGS.
# Exports OPENBLAS_THREAD_TIMEOUT=14 unless it is set (Blas.THREAD_TIMEOUT: OpenBLAS's idle threads
# sleep after 2^14 cycles instead of spinning for 2^28, which takes a core from sparklm's own kernels);
# PEER_ENV runs the PyTorch peer in the environment as it was before (an unset variable stays unset).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN="${MVN:-mvn}"
if [ ! -f "$ROOT/target/classpath.txt" ] || [ -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$ROOT/target/classpath.txt" -print -quit)" ]; then
  (cd "$ROOT" && "$MVN" -q -B -DskipTests package) >&2
fi
PEER_ENV=(env)
[ -n "${OPENBLAS_THREAD_TIMEOUT+set}" ] || PEER_ENV+=(-u OPENBLAS_THREAD_TIMEOUT)
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-14}"
SPARKLM_CP="$ROOT/target/classes:$(cat "$ROOT/target/classpath.txt")"
JAVA_FLAGS=(-Xss4m -Xmx"${SPARKLM_HEAP:-8g}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties"
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED)

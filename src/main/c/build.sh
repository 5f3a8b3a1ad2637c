#!/bin/sh
# Builds libsparklm_gemm.so (sparklm_gemm.c) into the classes directory, where CriticalGemm finds it.
# Usage: build.sh JAVA_HOME CLASSES_DIR. Run by the Maven build on Linux/amd64. Without a C compiler
# it says so and stops without error: sparklm then copies products' operands (GemmStaging).
set -eu
JDK="$1"
OUT="$2/io/sparklm/tensor/native/linux-x86_64"
CC="${CC:-cc}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "sparklm: no C compiler ($CC): products of Java arrays will copy their operands (slower)" >&2
  exit 0
fi
mkdir -p "$OUT"
"$CC" -O2 -shared -fPIC -Wall -Wextra -Werror -I"$JDK/include" -I"$JDK/include/linux" \
  -o "$OUT/libsparklm_gemm.so" "$(dirname "$0")/sparklm_gemm.c"

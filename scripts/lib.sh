# Shared by the scripts: the repo root, a one-time build of what a script needs, Spark's JVM flags.
# shellcheck shell=bash
LOGWAIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGWAIT_LOCAL="${LOGWAIT_LOCAL:-$LOGWAIT_ROOT/.local}"
MVN=(mvn -B -q -f "$LOGWAIT_ROOT/pom.xml" -Dspotless.check.skip=true -Denforcer.skip=true -Dmaven.javadoc.skip=true)

# Spark on Java 17 (org.apache.spark.launcher.JavaModuleOptions), read from the parent pom.
spark_jvm_flags() {
  sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$LOGWAIT_ROOT/pom.xml"
}

die() { echo "error: $*" >&2; exit 1; }

# Builds the named modules (and what they need) unless their jars are newer than their sources.
ensure_built() {
  local stale=0 m
  for m in "$@"; do
    local jar
    jar=$(ls "$LOGWAIT_ROOT/$m"/target/*.jar 2>/dev/null | head -1 || true)
    if [[ -z "$jar" ]] || [[ -n "$(find "$LOGWAIT_ROOT/$m/src" "$LOGWAIT_ROOT/$m/pom.xml" "$LOGWAIT_ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
      stale=1
    fi
  done
  if (( stale )); then
    local IFS=,
    echo "building $* (first run downloads dependencies; later runs are quick)..." >&2
    "${MVN[@]}" -DskipTests -pl "$*" -am install >&2 || die "build failed"
  fi
}

# Waits until host:port accepts connections.
await_port() {
  local host=$1 port=$2 seconds=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

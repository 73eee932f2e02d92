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

# A script's usage: its header comment (the lines after the shebang), without the '# '.
script_usage() { sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$1"; }

# Exits after the usage on -h/--help; exits 2 naming an argument that is not one of the accepted
# ones (an accepted '#' stands for a whole number). Usage: accept_args SCRIPT ALLOWED... -- ARGS...
accept_args() {
  local script=$1; shift
  local allowed=()
  while [[ $1 != -- ]]; do allowed+=("$1"); shift; done
  shift
  local a ok
  for a in "$@"; do
    case $a in -h|--help) script_usage "$script"; exit 0 ;; esac
    ok=""
    for w in "${allowed[@]}"; do
      if [[ $a == "$w" || ( $w == "#" && $a =~ ^[0-9]+$ ) ]]; then ok=1; fi
    done
    [[ -n $ok ]] || { echo "$(basename "$script"): unknown argument '$a' (try --help)" >&2; exit 2; }
  done
}

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

# Sourced by .ci/run and ./streamloader: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, then the JDKs under /usr/lib/jvm (newest first), then `java` on the PATH.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

select_jdk() {
  local candidate major
  local path_java
  path_java=$(command -v javac 2>/dev/null || true)
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
      ${path_java:+$(dirname "$(dirname "$(readlink -f "$path_java")")")}; do
    candidate=${candidate%/}
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "streamloader needs a JDK 21 or newer; none found in \$JAVA_HOME, /usr/lib/jvm or on the PATH." >&2
  echo "Install one (for example Temurin 21) and set JAVA_HOME to it." >&2
  return 1
}

# Sourced by the test scripts: install Debian packages only when they are missing.
# Usage: require_packages pkg [pkg ...]
require_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (run as root or install them: apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  echo "installing ${missing[*]} ..." >&2
  if [ -z "${COURSEMESH_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export COURSEMESH_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

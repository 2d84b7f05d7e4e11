#!/bin/sh
# Checks the local_coursemesh plugin outside Moodle: installs PHP and PHPUnit from Debian when
# missing, lints every PHP file, then runs the PHPUnit suite. Exits non-zero on any failure.
# Live API tests run only when COURSEMESH_BIN points at the coursemesh executable
# (optionally COURSEMESH_SERVE_ARGS); otherwise they are reported as incomplete.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")

if ! command -v php >/dev/null 2>&1 || ! command -v phpunit >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "run.sh: php-cli and phpunit are missing; install them (apt-get install php-cli phpunit php-xml php-mbstring) or run as root" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends php-cli phpunit php-xml php-mbstring >/dev/null
fi

echo "== php -l on every PHP file"
failed=0
count=0
for file in $(find "$plugin" -name '*.php' -not -path '*/vendor/*' | sort); do
    count=$((count + 1))
    if ! out=$(php -l "$file" 2>&1); then
        echo "$out" >&2
        failed=1
    fi
done
[ "$failed" -eq 0 ] || { echo "run.sh: syntax errors found" >&2; exit 1; }
echo "$count files, no syntax errors"

echo "== XML files are well formed"
for file in $(find "$plugin" -name '*.xml' | sort); do
    php -r 'exit(@simplexml_load_file($argv[1]) === false ? 1 : 0);' "$file" || { echo "run.sh: malformed $file" >&2; exit 1; }
done

echo "== PHPUnit"
# The live API tests run against the coursemesh binary the repository builds (swift build).
if [ -z "${COURSEMESH_BIN:-}" ] && [ -x "$plugin/../.build/debug/coursemesh" ]; then
    COURSEMESH_BIN=$(cd "$plugin/../.build/debug" && pwd)/coursemesh
    export COURSEMESH_BIN
fi
cd "$here"
exec phpunit -c "$here/phpunit.xml"

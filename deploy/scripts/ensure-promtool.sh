#!/usr/bin/env bash
# Prints the path of a usable promtool, installing Debian's `prometheus` package (2.42,
# which ships /usr/bin/promtool and starts no service) when none is found.
# Used by the deploy tests; safe to run by hand. Exits non-zero with a reason if it cannot.
set -euo pipefail

if [[ -n "${PROMTOOL:-}" && -x "${PROMTOOL}" ]]; then
  echo "${PROMTOOL}"; exit 0
fi
if command -v promtool >/dev/null 2>&1; then
  command -v promtool; exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
  echo "promtool not found and not running as root: install it yourself (apt-get install prometheus, or a release from prometheus.io) or set PROMTOOL=/path/to/promtool" >&2
  exit 2
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool not found and apt-get is not available: set PROMTOOL=/path/to/promtool" >&2
  exit 2
fi

echo "installing promtool from Debian package 'prometheus'..." >&2
export DEBIAN_FRONTEND=noninteractive
# Serialise with other apt users (parallel builds) instead of failing on the dpkg lock.
apt_opts=(-o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update -qq >&2
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends prometheus >&2

command -v promtool || { echo "prometheus package installed but promtool is not on PATH" >&2; exit 3; }

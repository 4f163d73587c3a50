#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: the servers they start on loopback (PostgreSQL + PostGIS,
# mosquitto) and the npm tools they compare against. Idempotent: a machine that has them skips the slow steps.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need_apt+=(postgresql-15-postgis-3)
command -v mosquitto >/dev/null 2>&1 || need_apt+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need_apt+=(mosquitto-clients)
command -v rsvg-convert >/dev/null 2>&1 || need_apt+=(librsvg2-bin)

if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # The Debian package starts a cluster on 5432; tests start their own in temp dirs, so the default one is not needed.
  if command -v pg_ctlcluster >/dev/null 2>&1; then $SUDO pg_ctlcluster 15 main stop >/dev/null 2>&1 || true; fi
  $SUDO systemctl stop mosquitto >/dev/null 2>&1 || $SUDO service mosquitto stop >/dev/null 2>&1 || true
fi

# npm tools the conformance tests run side by side (graphql-js, graphql-ws clients), pinned by package-lock.json.
if [ -f tests/tools/package.json ] && [ ! -d tests/tools/node_modules ]; then
  echo "Installing npm test tools"
  (cd tests/tools && npm ci --silent --no-audit --no-fund)
fi

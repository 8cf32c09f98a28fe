#!/usr/bin/env bash
# Installs the system packages OnAir's tests use, when they are missing: Debian's `chromium` (driven by puppeteer),
# `coturn` (the TURN server of the TURN end-to-end test), `iproute2` (the tests' private loopback-only network
# namespace), `openssl` (a self-signed certificate for the HTTPS test) and `ffmpeg` (the fake camera clip of the
# simulator's and the benchmark's Chromium broadcaster), `redis-server` and `nginx` (the several-nodes tests: Redis as
# the nodes' bus, nginx as their load balancer). Runs apt-get when it can (root, apt present); otherwise prints what to install and fails.
# PUPPETEER_EXECUTABLE_PATH or CHROME_PATH name another Chromium.
set -euo pipefail

need=()
chrome="${PUPPETEER_EXECUTABLE_PATH:-${CHROME_PATH:-}}"
if [ -n "$chrome" ] && [ -x "$chrome" ]; then :;
elif command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then :;
else need+=(chromium); fi
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "onair: installing system packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "onair: missing system packages: ${need[*]}" >&2
  echo "  Debian/Ubuntu: sudo apt-get install -y ${need[*]}" >&2
  echo "  Or point PUPPETEER_EXECUTABLE_PATH (or CHROME_PATH) at a Chromium and put coturn's turnserver on PATH." >&2
  exit 1
fi

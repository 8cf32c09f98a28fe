#!/usr/bin/env bash
# Installs the system packages OnAir's tests use, when they are missing: Debian's `chromium` (driven by puppeteer),
# `coturn` (the TURN server of the TURN end-to-end test), `janus` (Janus WebRTC Server, the SFU a room escalates to),
# `iproute2` (the tests' private network namespace and its veth pair), `openssl` (a self-signed certificate for the
# HTTPS test), `ffmpeg` (the fake camera clip of the simulator's and the benchmark's Chromium broadcaster),
# `redis-server` and `nginx` (the several-nodes tests: Redis as the nodes' bus, nginx as their load balancer),
# GStreamer with webrtcbin, x264 and Opus for Debian's Python (the WHIP test's H.264 encoder). Runs
# apt-get when it can (root, apt present); otherwise prints what to install and fails.
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
command -v janus >/dev/null 2>&1 || need+=(janus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
# The WHIP test's non-browser encoder (scripts/lib/gst-whip-publisher.py): GStreamer's webrtcbin with libnice,
# x264enc and opusenc, driven from Debian's Python through python3-gst-1.0.
gst_elements='webrtcbin x264enc opusenc rtph264pay rtpopuspay nicesrc videotestsrc audiotestsrc'
/usr/bin/python3 - "$gst_elements" >/dev/null 2>&1 <<'PY' || need+=(python3-gst-1.0 gir1.2-gst-plugins-bad-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-nice)
import sys, gi
gi.require_version("Gst", "1.0"); gi.require_version("GstWebRTC", "1.0"); gi.require_version("GstSdp", "1.0")
from gi.repository import Gst
Gst.init(None)
sys.exit(0 if all(Gst.ElementFactory.find(name) for name in sys.argv[1].split()) else 1)
PY

# Debian's janus package enables janus.service, whose stock config listens on every interface (HTTP 8088,
# WebSocket 8188) with no API secret. OnAir runs its own Janus with its own config: stop and disable the package's.
# Without systemd, the package's SysV script may have started it (unless policy-rc.d forbade it): stop and disable it.
stop_packaged_janus() {
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl is-enabled --quiet janus.service 2>/dev/null || systemctl is-active --quiet janus.service 2>/dev/null || return 0
    systemctl disable --now janus.service >/dev/null 2>&1 || echo "onair: could not stop/disable janus.service; do it by hand" >&2
  elif [ "${1:-}" = installed ] && [ -x /etc/init.d/janus ]; then
    /etc/init.d/janus stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null 2>&1 && update-rc.d janus disable >/dev/null 2>&1 || true
  fi
}

if [ ${#need[@]} -eq 0 ]; then stop_packaged_janus; exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "onair: installing system packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  stop_packaged_janus installed
else
  echo "onair: missing system packages: ${need[*]}" >&2
  echo "  Debian/Ubuntu: sudo apt-get install -y ${need[*]}" >&2
  echo "  Or point PUPPETEER_EXECUTABLE_PATH (or CHROME_PATH) at a Chromium and put coturn's turnserver and janus on PATH." >&2
  exit 1
fi

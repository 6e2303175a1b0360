#!/bin/sh
# One-step setup for a newcomer and for CI: the Debian packages the station and its tests need, then the
# npm dependencies (which bring Node 22 itself as a devDependency; npm scripts then run on it).
set -eu
cd "$(dirname "$0")/.."

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"              # end-to-end tests
[ -e /usr/lib/x86_64-linux-gnu/libusb-1.0.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libusb-1.0.so.0 ] ||
  missing="$missing libusb-1.0-0"                                                # node-hid (USB HID scanners)
fc-list 2>/dev/null | grep -qi 'noto.*cjk' || missing="$missing fonts-noto-cjk"  # Chinese text on screen
command -v python3 >/dev/null 2>&1 || missing="$missing python3"                  # USB printer test (pty relay)
command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
  missing="$missing postgresql"                                                  # store server and its tests

if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Please install these packages with your system's package manager:$missing" >&2
  fi
fi

npm ci --no-audit --no-fund

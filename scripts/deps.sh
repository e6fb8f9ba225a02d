#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages smarkbot needs to build, run or test, only
# those that are missing, so that `make run` and `make test` work on a fresh
# Debian 12 machine (and `make fuzz`: clang, whose Debian package carries
# libFuzzer).  Usage: scripts/deps.sh build|test|fuzz
set -eu

pkgs="gcc make pkg-config gettext libwebsockets-dev libcurl4-openssl-dev
      libjansson-dev libsqlite3-dev libinih-dev libssl-dev tzdata"
if [ "${1:-build}" = test ]; then
    pkgs="$pkgs libcmocka-dev python3-websockets python3-pytest python3-pytest-xdist
          man-db groff-base"
fi
if [ "${1:-build}" = fuzz ]; then
    pkgs="$pkgs clang libclang-rt-14-dev"
fi

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing:$missing" >&2
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2

#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing bpfhost needs.
# Idempotent: when everything is installed it only checks (dpkg-query) and
# prints one line; apt-get runs, after one 'apt-get update', only for what is missing.
set -euo pipefail

packages=(
  # toolchains and build tools
  build-essential cmake ninja-build ccache g++ clang llvm lld clang-format
  libclang-rt-14-dev
  # test and benchmark frameworks (GoogleTest is built from /usr/src/googletest)
  libgtest-dev googletest libbenchmark-dev
  # Windows cross build, tests under Wine
  g++-mingw-w64-x86-64-posix wine64
  # libraries and headers
  libbpf-dev libelf-dev zlib1g-dev libxbyak-dev libpcap-dev libseccomp-dev
  nlohmann-json3-dev
  # tools the tests and demos call
  python3 bpftool iproute2
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || {
    echo "setup: must run as root (or with sudo available) to install: ${missing[*]}" >&2
    exit 1
  }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

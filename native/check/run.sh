#!/usr/bin/env bash
# run.sh [OUT_DIR]: builds the CPU emulation of the device with native/*.cu (tests/CudaEmulation/build.sh) and
# kernel_checks.cpp, and runs the hand-checked kernel cases through it. Needs g++ and NVRTC (libnvrtc.so.11.2).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$(mktemp -d)}
"$here/../../tests/CudaEmulation/build.sh" "$out" >/dev/null
g++ -std=c++17 -O2 -Wall -Werror -o "$out/kernel_checks" "$here/kernel_checks.cpp" -ldl
"$out/kernel_checks" "$out/libcuda.so.1" "$here/.."

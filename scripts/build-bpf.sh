#!/usr/bin/env bash
# Rebuilds crates/bpf/obj/capture.bpf.o from crates/bpf/src/bpf/*.{c,h}.
# The output is byte-reproducible from any checkout path (-ffile-prefix-map, debug info stripped
# except BTF/.BTF.ext which CO-RE needs), so the committed object can be checked against its
# sources: scripts/check-bpf-object.sh. Needs clang-19 and llvm-strip-19 (Debian: clang-19 llvm-19).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
CLANG="${CLANG:-clang-19}"
STRIP="${LLVM_STRIP:-llvm-strip-19}"
out="${1:-$root/crates/bpf/obj/capture.bpf.o}"
src="$root/crates/bpf/src/bpf"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp "${TMPDIR:-/tmp}/capture.bpf.XXXXXX.o")"
trap 'rm -f "$tmp"' EXIT
cd "$root"
"$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 \
    -Wall -Werror -Wno-unused-function \
    -ffile-prefix-map="$root"=. -fdebug-prefix-map="$root"=. \
    -I "$src/include" -I "$src" \
    -c "$src/capture.bpf.c" -o "$tmp"
"$STRIP" -g "$tmp"
cp "$tmp" "$out"
echo "built $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -d' ' -f1))"

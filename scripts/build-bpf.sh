#!/usr/bin/env bash
# Rebuilds the BPF objects in crates/bpf/obj/ from crates/bpf/src/bpf/*.{c,h}: capture.bpf.o
# (the capture and tracer programs) and count.bpf.o (`saker trace --ebpf -c`'s counter).
# The output is byte-reproducible from any checkout path (-ffile-prefix-map, debug info stripped
# except BTF/.BTF.ext which CO-RE needs), so the committed objects can be checked against their
# sources: scripts/check-bpf-object.sh. Needs clang-19 and llvm-strip-19 (Debian: clang-19 llvm-19).
#
#   scripts/build-bpf.sh [OUTDIR]    # default crates/bpf/obj
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
CLANG="${CLANG:-clang-19}"
STRIP="${LLVM_STRIP:-llvm-strip-19}"
outdir="${1:-$root/crates/bpf/obj}"
src="$root/crates/bpf/src/bpf"
mkdir -p "$outdir"
tmp="$(mktemp "${TMPDIR:-/tmp}/saker.bpf.XXXXXX.o")"
trap 'rm -f "$tmp"' EXIT
cd "$root"
for name in capture count; do
    out="$outdir/$name.bpf.o"
    "$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 \
        -Wall -Werror -Wno-unused-function \
        -ffile-prefix-map="$root"=. -fdebug-prefix-map="$root"=. \
        -I "$src/include" -I "$src" \
        -c "$src/$name.bpf.c" -o "$tmp"
    "$STRIP" -g "$tmp"
    cp "$tmp" "$out"
    echo "built $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -d' ' -f1))"
done

#!/usr/bin/env bash
# Fails when crates/bpf/obj/capture.bpf.o is not what scripts/build-bpf.sh builds from the
# committed sources (CI runs this; needs clang-19 and llvm-19).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
committed="$root/crates/bpf/obj/capture.bpf.o"
fresh="$(mktemp "${TMPDIR:-/tmp}/capture.check.XXXXXX.o")"
trap 'rm -f "$fresh"' EXIT
"$root/scripts/build-bpf.sh" "$fresh" >/dev/null
if ! cmp -s "$committed" "$fresh"; then
    echo "crates/bpf/obj/capture.bpf.o is stale or was built differently:" >&2
    echo "  committed sha256 $(sha256sum "$committed" | cut -d' ' -f1)" >&2
    echo "  rebuilt   sha256 $(sha256sum "$fresh" | cut -d' ' -f1)" >&2
    echo "run scripts/build-bpf.sh and commit the object" >&2
    exit 1
fi
echo "crates/bpf/obj/capture.bpf.o matches its sources ($(sha256sum "$committed" | cut -d' ' -f1))"

#!/usr/bin/env bash
# Fails when an object in crates/bpf/obj/ is not what scripts/build-bpf.sh builds from the
# committed sources (CI runs this; needs clang-19 and llvm-19).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fresh="$(mktemp -d "${TMPDIR:-/tmp}/saker.bpf.check.XXXXXX")"
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/build-bpf.sh" "$fresh" >/dev/null
status=0
for name in capture count; do
    committed="$root/crates/bpf/obj/$name.bpf.o"
    if ! cmp -s "$committed" "$fresh/$name.bpf.o"; then
        echo "crates/bpf/obj/$name.bpf.o is stale, missing or was built differently:" >&2
        echo "  committed sha256 $(sha256sum "$committed" 2>/dev/null | cut -d' ' -f1)" >&2
        echo "  rebuilt   sha256 $(sha256sum "$fresh/$name.bpf.o" | cut -d' ' -f1)" >&2
        echo "run scripts/build-bpf.sh and commit the objects" >&2
        status=1
        continue
    fi
    echo "crates/bpf/obj/$name.bpf.o matches its sources ($(sha256sum "$committed" | cut -d' ' -f1))"
done
exit $status

#!/usr/bin/env bash
# Builds every cargo-fuzz target (they live outside the workspace, in fuzz/) so they never rot.
# Running them is a manual step: `cargo +nightly fuzz run <target> -- -max_total_time=600`.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "FATAL: the nightly toolchain is needed to build fuzz targets" >&2
  exit 1
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
cargo +nightly fuzz build

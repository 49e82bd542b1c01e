#!/usr/bin/env bash
# The shipped binary: time a cold release build (`cargo build --release --locked`, the profile release.yml
# ships) into an empty target directory, and print the size of the binary against the 15 MB budget.
# Dependencies must already be downloaded (cargo fetch): the time is compiling and linking only.
# Prints figures; asserts nothing.
#
# Usage: bench/build.sh [--keep DIR]   build into DIR and keep it (default: a temporary directory, removed)
set -euo pipefail

cd "$(dirname "$0")/.."
KEEP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP="$2"; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "$KEEP" ]; then
    rm -rf "$KEEP"
    mkdir -p "$KEEP"
    target_dir="$KEEP"
else
    target_dir=$(mktemp -d)
    trap 'rm -rf "$target_dir"' EXIT
fi

cargo fetch --locked --quiet
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo "?")
start=$(date +%s.%N)
CARGO_TARGET_DIR="$target_dir" cargo build --release --locked --quiet
end=$(date +%s.%N)

binary="$target_dir/release/ptlint"
[ -f "$binary" ] || binary="$binary.exe"
python3 - "$binary" "$start" "$end" "$load" <<'PY'
import os, subprocess, sys

binary, start, end, load = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
size = os.path.getsize(binary)
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
profile = []
in_release = False
for line in open("Cargo.toml"):
    line = line.strip()
    if line.startswith("["):
        in_release = line == "[profile.release]"
    elif in_release and "=" in line and not line.startswith("#"):
        profile.append(line.replace(" ", ""))
print(f"release build: {rustc}, {os.cpu_count()} CPUs, load average {load} at start; "
      f"[profile.release] {' '.join(profile) or '(cargo defaults)'}")
print()
print("| cold release build s | binary bytes | binary MiB |")
print("|---:|---:|---:|")
print(f"| {end - start:.0f} | {size} | {size / 2**20:.2f} |")
print()
print(f"target binary < 15 MB: {'met' if size < 15_000_000 else 'MISSED'} ({size / 1e6:.2f} MB)")
PY

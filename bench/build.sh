#!/usr/bin/env bash
# The binaries people install: for each Cargo profile, a cold `cargo build --locked` into an empty target
# directory, timed (wall clock, and CPU time of cargo and the compilers, which shared cores do not inflate),
# and the size of the binary against the 15 MB budget. `release` is what `cargo install`, the pre-commit hooks
# and the Action's source build compile; `dist` is what release.yml ships (binaries and wheels).
# Dependencies are fetched first: the times are compiling and linking only. Prints figures; asserts nothing.
#
# Usage: bench/build.sh [PROFILE...]   (default: release dist)
set -euo pipefail

cd "$(dirname "$0")/.."
cargo fetch --locked --quiet

python3 - "$@" <<'PY'
import os, resource, subprocess, sys, tempfile, time

profiles = sys.argv[1:] or ["release", "dist"]
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
print(f"cold builds: {rustc}, {os.cpu_count()} CPUs")
print()
print("| profile | settings | load at start | wall s | CPU s | binary bytes | binary MiB | < 15 MB |")
print("|---|---|---:|---:|---:|---:|---:|---|")


def settings(profile):
    """The profile's own lines in Cargo.toml (inherited settings are not repeated)."""
    lines, inside = [], False
    for line in open("Cargo.toml"):
        line = line.strip()
        if line.startswith("["):
            inside = line == f"[profile.{profile}]"
        elif inside and "=" in line and not line.startswith("#"):
            lines.append(line.replace(" ", ""))
    return " ".join(lines) or "(cargo defaults)"


for profile in profiles:
    with tempfile.TemporaryDirectory(prefix=f"ptlint-cold-{profile}-") as target:
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(["cargo", "build", "--locked", "--quiet", "--profile", profile],
                       env={**os.environ, "CARGO_TARGET_DIR": target}, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        directory = "debug" if profile == "dev" else profile
        binary = os.path.join(target, directory, "ptlint")
        if not os.path.exists(binary):
            binary += ".exe"
        size = os.path.getsize(binary)
        verdict = "met" if size < 15_000_000 else "MISSED"
        print(f"| {profile} | {settings(profile)} | {load:.1f} | {wall:.0f} | {cpu:.0f} | {size} | "
              f"{size / 2**20:.2f} | {verdict} |", flush=True)
PY

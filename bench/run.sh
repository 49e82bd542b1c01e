#!/usr/bin/env bash
# ptlint benchmark: `ptlint check` over a generated 10,000-file monorepo against `cat` of the same bytes,
# and against cfn-guard running one equivalent rule when cfn-guard is on PATH. Prints figures; asserts nothing.
#
# Usage: bench/run.sh [--regen] [--runs N]
#   --regen   regenerate bench/tree (bench/gen.py) even if it exists
#   --runs N  timed runs per command, best kept (default 3)
# Targets (from the issue): ptlint <= 2x cat, peak RSS < 64 MiB.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=3
REGEN=0
while [ $# -gt 0 ]; do
    case "$1" in
        --regen) REGEN=1 ;;
        --runs) RUNS="$2"; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$REGEN" = 1 ] || [ ! -d bench/tree ]; then
    python3 bench/gen.py --out bench/tree
fi

cargo build --release --quiet
PTLINT="$PWD/target/release/ptlint"

# Warm the page cache (and the dentry cache) so every command reads from memory.
find bench/tree -type f -print0 | xargs -0 cat > /dev/null

GUARD=""
if command -v cfn-guard > /dev/null 2>&1; then
    GUARD="$(command -v cfn-guard)"
fi

python3 - "$RUNS" "$PTLINT" "$GUARD" <<'PY'
import os, subprocess, sys, time, json, tempfile

runs, ptlint, guard = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def measure(argv, shell=False):
    """Best wall time of `runs` runs, and the peak RSS (MiB) of the process itself (os.wait4 rusage)."""
    best, peak, code = None, 0.0, None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024.0)  # Linux reports KiB
    return best, peak, code

files = 0
size = 0
for root, _, names in os.walk("bench/tree"):
    for name in names:
        files += 1
        size += os.path.getsize(os.path.join(root, name))

cat_s, _, _ = measure("find bench/tree -type f -print0 | xargs -0 cat > /dev/null", shell=True)
pt_s, pt_rss, pt_code = measure([ptlint, "check", "bench/tree", "--format", "json", "-o", "/dev/null",
                                 "--fail-on", "never"])

# One more run, kept, to show what was found (not timed).
with tempfile.NamedTemporaryFile(suffix=".json") as out:
    subprocess.run([ptlint, "check", "bench/tree", "--format", "json", "-o", out.name, "--fail-on", "never"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    summary = json.load(open(out.name)).get("summary", {})

print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start of report")
print(f"ptlint exit code {pt_code}; summary: files_scanned={summary.get('files_scanned')} "
      f"files_parsed={summary.get('files_parsed')} throughputs={summary.get('throughputs')} "
      f"findings={summary.get('findings')} input_errors={summary.get('input_errors')}")
print()
print("| files | bytes | cat s | ptlint s | ratio | peak RSS MiB |")
print("|---:|---:|---:|---:|---:|---:|")
print(f"| {files} | {size} | {cat_s:.3f} | {pt_s:.3f} | {pt_s / cat_s:.2f} | {pt_rss:.1f} |")
print()
print(f"target ratio <= 2.00: {'met' if pt_s <= 2 * cat_s else 'MISSED'} ({pt_s / cat_s:.2f}x)")
print(f"target peak RSS < 64 MiB: {'met' if pt_rss < 64 else 'MISSED'} ({pt_rss:.1f} MiB)")

if guard:
    version = subprocess.run([guard, "--version"], capture_output=True, text=True).stdout.strip()
    g_s, g_rss, g_code = measure([guard, "validate", "-r", "bench/guard/pt_units.guard", "-d", "bench/tree"])
    print()
    print(f"| {version} (1 rule) s | peak RSS MiB | cfn-guard / ptlint |")
    print("|---:|---:|---:|")
    print(f"| {g_s:.3f} | {g_rss:.1f} | {g_s / pt_s:.2f} |")
    print(f"(cfn-guard exit code {g_code}: 19 means some files failed the rule)")
else:
    print()
    print("cfn-guard not on PATH: comparison skipped (cargo install cfn-guard --version 3.2.1 --locked)")
PY

# ---- release binary size and cold release build time (bench/build.sh) -------------------------------------
# A cold build takes minutes: PTLINT_BENCH_COLD_BUILD=0 skips it.
if [ "${PTLINT_BENCH_COLD_BUILD:-1}" != 0 ]; then
    echo
    bench/build.sh
fi
# ---- end: release binary size and cold release build time -------------------------------------------------

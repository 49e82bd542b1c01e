#!/usr/bin/env bash
# Terraform HCL at repository scale: `ptlint check` over a 10,000-file tree where 10% are `.tf`, against `cat`
# of the same bytes. Prints figures; asserts nothing. Target: within 2x cat.
set -euo pipefail
cd "$(dirname "$0")/.."
TREE=bench/tree-hcl
if [ ! -d "$TREE" ]; then
    python3 bench/gen_hcl.py --out "$TREE"
fi
cargo build --release --quiet
PTLINT="$PWD/target/release/ptlint"
find "$TREE" -type f -print0 | xargs -0 cat > /dev/null
python3 - "$PTLINT" "$TREE" <<'PY'
import os, subprocess, sys, time
ptlint, tree = sys.argv[1], sys.argv[2]

def best(argv, shell=False, runs=5):
    times, peak = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss / 1024.0)
    return min(times), peak

cat, _ = best(f"find {tree} -type f -print0 | xargs -0 cat > /dev/null", shell=True)
lint, rss = best([ptlint, "check", tree, "--fail-on", "never", "--format", "json"])
tf = sum(1 for _, _, names in os.walk(tree) for n in names if n.endswith(".tf"))
print(f"HCL tree: {tf} .tf files in a {sum(len(n) for _, _, n in os.walk(tree))}-file tree")
print(f"  cat {cat:.3f}s  ptlint {lint:.3f}s  ratio {lint / cat:.2f}x (target <= 2x)  peak RSS {rss:.1f} MiB")
PY

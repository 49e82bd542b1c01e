#!/usr/bin/env bash
# ptlint benchmark: `ptlint check` over a generated 10,000-file monorepo against `cat` of the same bytes,
# and against cfn-guard running one equivalent rule when cfn-guard is on PATH; then the scale budgets, each
# printed as a ratio with met/MISSED. Prints figures; asserts nothing.
#
# Usage: bench/run.sh [--regen] [--runs N] [--ptlint PATH] [--skip-scale]
#   --regen       regenerate bench/tree and bench/trees/* (bench/gen.py) even if they exist
#   --runs N      timed runs per command, best kept (default 3)
#   --ptlint P    measure this binary instead of building target/release/ptlint (to compare builds)
#   --skip-scale  only the 10,000-file comparison
# Targets: ptlint <= 2x cat and peak RSS < 64 MiB on the 10,000-file tree; the scale budgets (issue 15):
#   - 500 -> 4,000 Terraform plans (one PT, alarm and account-wide budget each): time within 9x, peak < 300 MiB
#   - 2,000 -> 8,000 PTs (all four formats, team budgets): time per PT within 10%
#   - a 2 MB one-line flow-style YAML template: under 0.2 s
#   - every file of the 10,000-file tree named on the command line (no prefilter): within 4x `cat`
#   - a 100,000-file tree (two directories a file), prefiltered: within 1.5x `cat`, peak < 256 MiB (issue 25)
#   - the same 100,000 files ten to a directory: within 1.1x `cat`
#   - 10,000 real templates (bench/gen_real.py: aws-cloudformation-templates cycled, 5% PT stacks), every file
#     named: within 4x `cat` in wall time and 5x in CPU; peak memory of the human report <= 1.5x the JSON one's
# Peak memory is the "Maximum resident set size" of `/usr/bin/time -v` (apt-get install time).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=3
REGEN=0
PTLINT=""
SCALE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --regen) REGEN=1 ;;
        --runs) RUNS="$2"; shift ;;
        --ptlint) PTLINT="$(realpath "$2")"; shift ;;
        --skip-scale) SCALE=0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ ! -x /usr/bin/time ]; then
    echo "/usr/bin/time is missing (apt-get install time): it measures peak memory" >&2
    exit 2
fi

gen() { # gen DIR ARGS...: generate a tree unless it is there (or --regen)
    local dir="$1"; shift
    if [ "$REGEN" = 1 ] || [ ! -e "$dir" ]; then
        python3 bench/gen.py "$@" --out "$dir"
    fi
}
gen bench/tree
if [ "$SCALE" = 1 ]; then
    gen bench/trees/plans-500 --files 500 --formats plan --pt-share 1 --budget-scope service
    gen bench/trees/plans-4000 --files 4000 --formats plan --pt-share 1 --budget-scope service
    gen bench/trees/pts-2000 --files 2000 --pt-share 1
    gen bench/trees/pts-8000 --files 8000 --pt-share 1
    gen bench/trees/files-100000 --files 100000
    gen bench/trees/files-100000-dense --files 100000 --files-per-dir 10
    gen bench/trees/flow-2mb.yaml --flow-yaml 2000000
    # Real templates: the generator clones aws-cloudformation-templates once (network), or takes --src from
    # PTLINT_BENCH_REAL_SRC; without either the section is skipped.
    if [ "$REGEN" = 1 ] || [ ! -e bench/trees/real-10000 ]; then
        python3 bench/gen_real.py ${PTLINT_BENCH_REAL_SRC:+--src "$PTLINT_BENCH_REAL_SRC"} --out bench/trees/real-10000 \
            || echo "bench/trees/real-10000 could not be generated: the real-template budget is skipped" >&2
    fi
fi

if [ -z "$PTLINT" ]; then
    nice -n 19 cargo build --release --quiet
    PTLINT="$PWD/target/release/ptlint"
fi

# Warm the page cache (and the dentry cache) so every command reads from memory.
find bench/tree -type f -print0 | xargs -0 cat > /dev/null
if [ "$SCALE" = 1 ]; then
    find bench/trees -type f -print0 | xargs -0 cat > /dev/null
fi

GUARD=""
if command -v cfn-guard > /dev/null 2>&1; then
    GUARD="$(command -v cfn-guard)"
fi

python3 - "$RUNS" "$PTLINT" "$GUARD" "$SCALE" <<'PY'
import os, re, subprocess, sys, time, json, tempfile

runs, ptlint, guard, scale = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "1"

def measure(argv, shell=False):
    """Best wall time of `runs` runs, and the peak RSS (MiB) that `/usr/bin/time -v` reports for the command.
    The least CPU time (user + sys) of the runs is kept in CPU[...] for the scale section: on a shared machine it
    varies far less than wall time."""
    best, peak, code, cpu = None, 0.0, None, None
    with tempfile.NamedTemporaryFile(suffix=".time") as report:
        timed = ["/usr/bin/time", "-v", "-o", report.name] + (["sh", "-c", argv] if shell else argv)
        for _ in range(runs):
            start = time.perf_counter()
            status = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            elapsed = time.perf_counter() - start
            text = open(report.name).read()
            field = lambda name: re.search(re.escape(name) + r": ([0-9.]+)", text)
            exit_status = field("Exit status")
            code = int(exit_status.group(1)) if exit_status else status
            rss = field("Maximum resident set size (kbytes)")
            user, system = field("User time (seconds)"), field("System time (seconds)")
            used = float(user.group(1)) + float(system.group(1)) if user and system else float("nan")
            best = elapsed if best is None else min(best, elapsed)
            cpu = used if cpu is None else min(cpu, used)
            peak = max(peak, int(rss.group(1)) / 1024.0 if rss else 0.0)
    CPU[tuple(argv) if not shell else argv] = cpu
    return best, peak, code

CPU = {}

files = 0
size = 0
for root, _, names in os.walk("bench/tree"):
    for name in names:
        files += 1
        size += os.path.getsize(os.path.join(root, name))

cat_s, _, _ = measure("find bench/tree -type f -print0 | xargs -0 cat > /dev/null", shell=True)
# bench/tree sits inside this repository: --no-project-context keeps the run to the files `cat` reads (a named
# directory is otherwise read with the rest of its project, docs/scope.md).
pt_s, pt_rss, pt_code = measure([ptlint, "check", "bench/tree", "--format", "json", "-o", "/dev/null",
                                 "--fail-on", "never", "--no-project-context"])

# One more run, kept, to show what was found (not timed).
with tempfile.NamedTemporaryFile(suffix=".json") as out:
    subprocess.run([ptlint, "check", "bench/tree", "--format", "json", "-o", out.name, "--fail-on", "never",
                    "--no-project-context"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    summary = json.load(open(out.name)).get("summary", {})

print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start of report")
print(f"ptlint exit code {pt_code}; summary: files_scanned={summary.get('files_scanned')} "
      f"files_parsed={summary.get('files_parsed')} throughputs={summary.get('throughputs')} "
      f"findings={summary.get('findings')} input_errors={summary.get('input_errors')}")
print()
print(f"ptlint: {ptlint}; each figure is the best of {runs} runs")
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

if not scale:
    sys.exit(0)

def tree_files(root):
    out = []
    for base, _, names in os.walk(root):
        out.extend(os.path.join(base, n) for n in names)
    return sorted(out)

def check(paths, *extra):
    return [ptlint, "check", *paths, "--format", "json", "-o", "/dev/null", "--fail-on", "never", *extra]

def verdict(ok):
    return "met" if ok else "MISSED"

def summary_of(paths, *extra):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([ptlint, "check", *paths, "--format", "json", "-o", out.name, "--fail-on", "never", *extra],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        s = json.load(open(out.name)).get("summary", {})
    return (f"scanned={s.get('files_scanned')} parsed={s.get('files_parsed')} throughputs={s.get('throughputs')} "
            f"findings={s.get('findings')} input_errors={s.get('input_errors')}")

print()
print("## Scale budgets")
print(f"load average {os.getloadavg()[0]:.2f} at the start of this section")
print()
print("| run | what | wall s | CPU s | peak RSS MiB | ratio (wall) | ratio (CPU) | budget | verdict (wall) |")
print("|---|---|---:|---:|---:|---:|---:|---|---|")
rows, notes = [], []

# 500 -> 4,000 plans, one PT, alarm and account-wide (Service = Amazon Bedrock) budget each: every budget covers
# every PT, the quadratic case.
def timed(argv, shell=False):
    s, rss, code = measure(argv, shell)
    return s, CPU[tuple(argv) if not shell else argv], rss, code

small, small_cpu, small_rss, _ = timed(check(["bench/trees/plans-500"]))
large, large_cpu, large_rss, code = timed(check(["bench/trees/plans-4000"]))
rows.append(("plans 500", "ptlint check", small, small_cpu, small_rss, "", "", "", ""))
rows.append(("plans 4,000", "ptlint check", large, large_cpu, large_rss, f"{large / small:.2f}x",
             f"{large_cpu / small_cpu:.2f}x", "<= 9x time", verdict(large <= 9 * small)))
rows.append(("plans 4,000", "peak memory", "", "", large_rss, "", "", "< 300 MiB", verdict(large_rss < 300)))
notes.append(f"plans 4,000: exit {code}; {summary_of(['bench/trees/plans-4000'])}")

# 2,000 -> 8,000 PTs, all four formats, team budgets: the time per PT.
small, small_cpu, small_rss, _ = timed(check(["bench/trees/pts-2000"]))
large, large_cpu, large_rss, code = timed(check(["bench/trees/pts-8000"]))
per = lambda s, n: s / n * 1000
rows.append(("PTs 2,000", f"{per(small, 2000):.3f} ms/PT wall, {per(small_cpu, 2000):.3f} CPU", small, small_cpu,
             small_rss, "", "", "", ""))
rows.append(("PTs 8,000", f"{per(large, 8000):.3f} ms/PT wall, {per(large_cpu, 8000):.3f} CPU", large, large_cpu,
             large_rss, f"{per(large, 8000) / per(small, 2000):.2f}x per PT",
             f"{per(large_cpu, 8000) / per(small_cpu, 2000):.2f}x per PT", "<= 1.10x per PT",
             verdict(per(large, 8000) <= 1.10 * per(small, 2000))))
notes.append(f"PTs 8,000: exit {code}; {summary_of(['bench/trees/pts-8000'])}")

# A 2 MB template on one line of flow-style YAML: the cost of a span must not depend on its line's length.
flow, flow_cpu, flow_rss, code = timed(check(["bench/trees/flow-2mb.yaml"]))
rows.append(("one-line YAML 2 MB", "ptlint check", flow, flow_cpu, flow_rss, "", "", "< 0.2 s", verdict(flow < 0.2)))
notes.append(f"one-line YAML: exit {code}; {summary_of(['bench/trees/flow-2mb.yaml'])}")

# Every file of the 10,000-file tree named on the command line: named files skip the prefilter, so all are parsed.
# bench/tree sits inside this repository, so by default the rest of the repository (its fixtures) would be read as
# the named files' project context; --no-project-context keeps the run to the files `cat` reads.
named = tree_files("bench/tree")
cat_s, cat_cpu, _, _ = timed(["cat", *named])
pt_s, pt_cpu, pt_rss, code = timed(check(named, "--no-project-context"))
rows.append(("10,000 named", "cat", cat_s, cat_cpu, "", "", "", "", ""))
rows.append(("10,000 named", "ptlint check", pt_s, pt_cpu, pt_rss, f"{pt_s / cat_s:.2f}x cat",
             f"{pt_cpu / cat_cpu:.2f}x cat", "<= 4x cat", verdict(pt_s <= 4 * cat_s)))
notes.append(f"10,000 named: exit {code}; {summary_of(named, '--no-project-context')}")

# 10,000 real templates, every file named (as the pre-commit hook names files): all are parsed.
if os.path.isdir("bench/trees/real-10000"):
    named = tree_files("bench/trees/real-10000")
    cat_s, cat_cpu, _, _ = timed(["cat", *named])
    pt_s, pt_cpu, pt_rss, code = timed(check(named, "--no-project-context"))
    human = [ptlint, "check", *named, "-o", "/dev/null", "--fail-on", "never", "--no-project-context"]
    h_s, h_cpu, h_rss, _ = timed(human)
    rows.append(("10,000 real named", "cat", cat_s, cat_cpu, "", "", "", "", ""))
    rows.append(("10,000 real named", "ptlint check (json)", pt_s, pt_cpu, pt_rss, f"{pt_s / cat_s:.2f}x cat",
                 f"{pt_cpu / cat_cpu:.2f}x cat", "<= 4x cat wall, 5x CPU",
                 verdict(pt_s <= 4 * cat_s and pt_cpu <= 5 * cat_cpu)))
    rows.append(("10,000 real named", "ptlint check (human)", h_s, h_cpu, h_rss, f"{h_rss / pt_rss:.2f}x json RSS",
                 "", "<= 1.5x json RSS", verdict(h_rss <= 1.5 * pt_rss)))
    notes.append(f"10,000 real named: exit {code}; {summary_of(named, '--no-project-context')}")
else:
    notes.append("10,000 real named: skipped (bench/trees/real-10000 missing: see bench/gen_real.py)")

# The 100,000-file trees, prefiltered: one file per directory (200,041 directories), then ten per directory.
# A named directory is read with the rest of its project (docs/scope.md); the trees sit inside this repository,
# so --no-project-context keeps each run to the files `cat` reads. One more run with the context shows its cost.
for label, tree, budget in [("100,000 files", "bench/trees/files-100000", 1.5),
                            ("100,000 files, 10 a dir", "bench/trees/files-100000-dense", 1.1)]:
    cat_s, cat_cpu, _, _ = timed(f"find {tree} -type f -print0 | xargs -0 cat > /dev/null", shell=True)
    pt_s, pt_cpu, pt_rss, code = timed(check([tree], "--no-project-context"))
    rows.append((label, "cat", cat_s, cat_cpu, "", "", "", "", ""))
    rows.append((label, "ptlint check", pt_s, pt_cpu, pt_rss, f"{pt_s / cat_s:.2f}x cat",
                 f"{pt_cpu / cat_cpu:.2f}x cat", f"<= {budget}x cat", verdict(pt_s <= budget * cat_s)))
    rows.append((label, "peak memory", "", "", pt_rss, "", "", "< 256 MiB", verdict(pt_rss < 256)))
    notes.append(f"{label}: exit {code}; {summary_of([tree], '--no-project-context')}")
    ctx_s, ctx_cpu, ctx_rss, _ = timed(check([tree]))
    rows.append((label, "ptlint check, with project context", ctx_s, ctx_cpu, ctx_rss, f"{ctx_s / cat_s:.2f}x cat",
                 f"{ctx_cpu / cat_cpu:.2f}x cat", "", ""))

fmt = lambda v, spec: (format(v, spec) if isinstance(v, float) else str(v))
for run, what, s, cpu, rss, ratio, cpu_ratio, budget, ok in rows:
    print(f"| {run} | {what} | {fmt(s, '.3f')} | {fmt(cpu, '.2f')} | {fmt(rss, '.1f')} | {ratio} | {cpu_ratio} | "
          f"{budget} | {ok} |")
print()
for note in notes:
    print(note)
print(f"load average {os.getloadavg()[0]:.2f} at the end")
PY

# ---- release binary size and cold release build time (bench/build.sh) -------------------------------------
# A cold build takes minutes: PTLINT_BENCH_COLD_BUILD=0 skips it.
if [ "${PTLINT_BENCH_COLD_BUILD:-1}" != 0 ]; then
    echo
    bench/build.sh
fi
# ---- end: release binary size and cold release build time -------------------------------------------------

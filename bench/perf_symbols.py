#!/usr/bin/env python3
"""Top functions of a `perf record -g` profile of ptlint, self and inclusive, named with `nm`.

perf 6.1 (Debian's) cannot read the ELF that rustc 1.95 links ("symsrc__init: cannot get elf header"), so its
report names no ptlint function; this reads `perf script`'s addresses (file offsets) and names them from the
binary's symbol table. Build with `cargo build --profile profiling` (release with symbols), then:

    perf record -F 999 -g --call-graph dwarf,8192 -o run.data target/profiling/ptlint check ...
    python3 bench/perf_symbols.py run.data target/profiling/ptlint [N]
"""
import bisect, collections, os, re, subprocess, sys
data, binary = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
syms = []
for line in subprocess.run(["nm", "-n", "-C", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1] in "tTwW":
        syms.append((int(parts[0], 16), parts[2]))
addrs = [a for a, _ in syms]
# program headers: (offset, vaddr) of the executable segment
ph = subprocess.run(["readelf", "-l", "-W", binary], capture_output=True, text=True).stdout
segs = [(int(m.group(1), 16), int(m.group(2), 16)) for m in re.finditer(r"LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)", ph)]
out = subprocess.run(["perf", "script", "-i", data, "--show-mmap-events", "-F", "comm,tid,ip,sym,dso"],
                     capture_output=True, text=True).stdout
maps = []  # (start, end, pgoff)
name = binary.split("/")[-1]
def short(s):
    s = re.sub(r"::h[0-9a-f]{16}$", "", s)
    s = re.sub(r"<[^<>]*>", "<>", s)
    return s[:110]
def resolve(ip):
    if ip < 1 << 32:  # perf already gave the file offset
        maps_ = [(0, 1 << 32, 0)]
    else:
        maps_ = maps
    for start, end, pgoff in maps_:
        if start <= ip < end:
            off = ip - start + pgoff
            # vaddr = off + (vaddr - offset) of the segment holding off
            delta = 0
            for soff, svaddr in segs:
                if soff <= off:
                    delta = svaddr - soff
            v = off + delta
            i = bisect.bisect_right(addrs, v) - 1
            return short(syms[i][1]) if i >= 0 else hex(v)
    return None
    return None
samples = []
cur = None
for line in out.splitlines():
    if "PERF_RECORD_MMAP2" in line and name in line and "r-xp" in line:
        m = re.search(r"\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+|0) ", line)
        s, l, p = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3), 16)
        maps.append((s, s + l, p))
        continue
    if not line.strip():
        if cur: samples.append(cur)
        cur = None
        continue
    if not line.startswith((" ", "\t")):
        if cur: samples.append(cur)
        # PTLINT_PERF_COMM=NAME keeps only one thread's samples (the HCL reader's is `hcl-reader`).
        keep = not os.environ.get("PTLINT_PERF_COMM") or line.split()[0] == os.environ["PTLINT_PERF_COMM"]
        cur = [] if keep else None
        continue
    m = re.match(r"\s+([0-9a-f]+) (.*) \((.*)\)$", line)
    if not m or cur is None:
        continue
    ip, sym, dso = int(m.group(1), 16), m.group(2), m.group(3)
    if "[unknown]" in sym or name in dso:
        r = resolve(ip)
        sym = r if r else sym
    else:
        sym = short(re.sub(r"\+0x[0-9a-f]+$", "", sym))
    if "kernel" in dso: sym = "[k] " + sym
    cur.append(sym)
if cur: samples.append(cur)
n = len(samples)
selfc = collections.Counter(s[0] for s in samples if s)
inc = collections.Counter()
for s in samples:
    for f in set(s): inc[f] += 1
print(f"{n} samples")
print("-- self --")
for f, c in selfc.most_common(top): print(f"{100*c/n:6.2f}%  {f}")
print("-- inclusive --")
for f, c in inc.most_common(top + 20): print(f"{100*c/n:6.2f}%  {f}")

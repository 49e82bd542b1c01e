#!/usr/bin/env python3
"""Differential check of YAML error positions against libyaml (what CloudFormation and cfn-lint use).

Mutates the repository's YAML fixtures at random (a character deleted, an indicator inserted, a line indented),
parses each mutant with PyYAML's libyaml loader and with `ptlint check`, and counts where both report an error
at the same line and column. Needs PyYAML built with libyaml (`python3 -c 'import yaml; print(yaml.__with_libyaml__)'`).

Usage: fuzz/libyaml_positions.py [SEED] [CASES] [PTLINT]   (default 1, 400, target/debug/ptlint)
"""
import glob, json, os, random, subprocess, sys, tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
count = int(sys.argv[2]) if len(sys.argv) > 2 else 400
binary = sys.argv[3] if len(sys.argv) > 3 else os.path.join(ROOT, 'target/debug/ptlint')
if not yaml.__with_libyaml__:
    sys.exit('PyYAML is not built with libyaml')
random.seed(seed)
sources = sorted(f for f in glob.glob(os.path.join(ROOT, 'fixtures/**/*.y*ml'), recursive=True) if 'ptlint' not in f)
INSERTS = ['- ', ':', ' ', '\t', '{', '}', '[', ']', '"', "'", '!', '&a ', '*a', '#', '\n', '? ', ',', '|', '>', '%',
           '@', '`', '---\n']
out = tempfile.mkdtemp(prefix='libyaml-positions-')
cases = {}
for i in range(count):
    text = open(random.choice(sources)).read()
    op, at = random.random(), random.randrange(len(text))
    if op < 0.3:
        text = text[:at] + text[at + 1:]
    elif op < 0.8:
        text = text[:at] + random.choice(INSERTS) + text[at:]
    else:
        lines = text.split('\n')
        k = random.randrange(len(lines))
        lines[k] = ' ' * random.choice([1, 2, 3]) + lines[k]
        text = '\n'.join(lines)
    name = os.path.join(out, f'c{i}.yaml')
    with open(name, 'w') as f:
        f.write(text)
    try:
        list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        cases[name] = None
    except yaml.MarkedYAMLError as e:
        cases[name] = (e.problem_mark.line + 1, e.problem_mark.column + 1, f'{e.context or ""} / {e.problem}')
run = subprocess.run([binary, 'check', *sorted(cases), '--format', 'json'], capture_output=True, text=True)
ours = {os.path.join(out, os.path.basename(e['file'])): (e['line'], e['column'], e['message'])
        for e in json.loads(run.stdout)['errors']}
tally = {'both accept': 0, 'same error position': 0, 'different position': 0, 'only libyaml errs': 0,
         'only ptlint errs': 0}
for name in sorted(cases, key=lambda n: int(os.path.basename(n)[1:-5])):
    lib, me = cases[name], ours.get(name)
    if lib is None and me is None:
        tally['both accept'] += 1
    elif lib is None:
        tally['only ptlint errs'] += 1
        print('only ptlint:', os.path.basename(name), me)
    elif me is None:
        tally['only libyaml errs'] += 1
        print('only libyaml:', os.path.basename(name), lib)
    elif lib[:2] == me[:2]:
        tally['same error position'] += 1
    else:
        tally['different position'] += 1
        print('position:', os.path.basename(name), 'libyaml', lib, 'ptlint', me)
print(f'seed {seed}, {count} cases: ' + ', '.join(f'{k} {v}' for k, v in tally.items()))
print(f'(mutants kept in {out})')

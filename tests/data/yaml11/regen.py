#!/usr/bin/env python3
"""Record how cfn-lint reads each YAML input of cases(): the value its decoder gives `ModelUnits`, or its error.

ptlint's tests (tests/yaml11_agreement.rs) check ptlint's YAML reader against this table; they never run cfn-lint.
To regenerate (cfn-lint and PyYAML from PyPI, in a virtual environment outside the repository):

    python3 -m venv /tmp/cfnlint && /tmp/cfnlint/bin/pip install cfn-lint
    /tmp/cfnlint/bin/python tests/data/yaml11/regen.py > tests/data/yaml11/cfn_lint.json

For each input it records: what `cfnlint.decode.cfn_yaml.loads` (cfn-lint's own decoder, on PyYAML's libyaml
`CSafeLoader`) reads at Resources.Pt.Properties.ModelUnits, or the error it raises with its line; where
PyYAML on libyaml alone stops, if it does (the line and column ptlint reports); and whether
the `cfn-lint` command reports the file as unparseable (rule E0000).
"""
import json, math, os, subprocess, sys, tempfile

import cfnlint
import yaml
from cfnlint.decode import cfn_yaml

HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Pt:\n    Type: Custom::BedrockProvisionedThroughput\n    Properties:\n'


def units(value):
    return HEAD + '      ModelUnits: ' + value + '\n'


def cases():
    scalars = [
        # name, as written
        ('decimal', '10'), ('octal', '010'), ('octal_with_underscore', '0_10'), ('not_octal_08', '08'),
        ('hex', '0x2'), ('hex_upper', '0x1F'), ('binary', '0b11'), ('sexagesimal', '1:30'),
        ('sexagesimal_three', '1:00:05'), ('underscored', '1_000'), ('plus', '+12'), ('minus_octal', '-010'),
        ('zero', '0'), ('core_octal_0o', '0o17'), ('float', '1.5'), ('float_trailing_dot', '1.'),
        ('float_leading_dot', '.5'), ('float_exp_signed', '1.5e+3'), ('float_exp_unsigned', '1.5e3'),
        ('int_exp', '1e3'), ('sexagesimal_float', '1:30.5'), ('inf', '.inf'), ('minus_inf', '-.inf'),
        ('nan', '.nan'), ('yes', 'yes'), ('no', 'No'), ('on', 'on'), ('off', 'OFF'), ('y', 'y'), ('true', 'true'),
        ('tilde', '~'), ('null', 'null'), ('empty', ''), ('quoted_octal', '"010"'), ('single_quoted_yes', "'yes'"),
        ('tagged_str_octal', '!!str 010'), ('tagged_int_octal', '!!int 010'), ('tagged_int_hex', '!!int 0x10'),
        ('tagged_float_int', '!!float 2'), ('sexagesimal_bad_part', '1:60'), ('hex_bad', '0xG'),
        ('ref', '!Ref U'), ('verbatim_ref', '!<!Ref> U'), ('core_verbatim_int', '!<tag:yaml.org,2002:int> 010'),
        ('getatt', '!GetAtt A.B'),
    ]
    for name, value in scalars:
        yield name, units(value)
    yield 'merge', (HEAD.replace('    Properties:\n', '    Properties:\n      <<: {ModelUnits: 3}\n'))
    yield 'tagged_merge', (HEAD.replace('    Properties:\n', '    Properties:\n      !!merge <<: {ModelUnits: 4}\n'))
    yield 'merge_overridden', (HEAD + '      <<: {ModelUnits: 3}\n      ModelUnits: 5\n')
    yield 'quoted_merge_key', (HEAD + '      "<<": {ModelUnits: 3}\n      ModelUnits: 6\n')
    yield 'anchor_alias', ('AWSTemplateFormatVersion: "2010-09-09"\nX: &u 7\nResources:\n  Pt:\n    Type: C\n'
                           '    Properties:\n      ModelUnits: *u\n')
    yield 'duplicate_anchor', ('AWSTemplateFormatVersion: "2010-09-09"\nX: &u 7\nY: &u 8\nResources:\n  Pt:\n'
                               '    Type: C\n    Properties:\n      ModelUnits: *u\n')
    yield 'tilde_key', units('2') + '      ~: 1\n'
    yield 'null_key', units('2') + '      null: 1\n'
    yield 'nel_in_plain', units('2') + '      Name: a\u0085b\n'
    yield 'nel_in_quoted', units('2') + '      Name: "a\u0085b"\n'
    yield 'nul_in_comment', units('2').replace('Properties:\n', 'Properties:  # a\u0000b\n')
    yield 'bel_in_value', units('2') + '      Name: a\u0007b\n'
    yield 'cr_only', units('9').replace('\n', '\r')
    yield 'cr_only_error', (HEAD + '      ModelUnits: [1\n').replace('\n', '\r')
    yield 'crlf', units('9').replace('\n', '\r\n')


def python_value(value):
    if isinstance(value, bool):
        return {'kind': 'bool', 'value': value}
    if value is None:
        return {'kind': 'null'}
    if isinstance(value, int):
        return {'kind': 'int', 'value': str(value)}
    if isinstance(value, float):
        text = 'nan' if math.isnan(value) else repr(value)
        return {'kind': 'float', 'value': text}
    if isinstance(value, str):
        return {'kind': 'str', 'value': str(value)}
    return {'kind': 'json', 'value': json.loads(json.dumps(value, default=str))}


def decode(text):
    try:
        template = cfn_yaml.loads(text, 'case.yaml')
    except Exception as e:  # cfn-lint raises its own match-carrying errors and PyYAML's
        mark = getattr(e, 'problem_mark', None)
        line = mark.line + 1 if mark is not None else None
        matches = getattr(e, 'matches', None)
        if line is None and matches:
            line = matches[0].linenumber
        return {'kind': 'error', 'line': line, 'message': str(e).splitlines()[0][:200]}
    props = template['Resources']['Pt'].get('Properties', {})
    if 'ModelUnits' not in props:
        return {'kind': 'absent'}
    return python_value(props['ModelUnits'])


def libyaml_error(text):
    """Where PyYAML on libyaml (`CSafeLoader`) stops, 1-based, or None if it reads the text."""
    try:
        yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.reader.ReaderError as e:
        # A reader error gives a character offset; lines end at \n, \r\n or \r alone.
        before = text[:e.position].replace('\r\n', '\n').replace('\r', '\n')
        return {'line': before.count('\n') + 1, 'column': len(before) - (before.rfind('\n') + 1) + 1}
    except yaml.YAMLError as e:
        mark = e.problem_mark
        return {'line': mark.line + 1, 'column': mark.column + 1}
    return None


def cli_parse_error(text):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'case.yaml')
        with open(path, 'w', newline='') as f:
            f.write(text)
        out = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'cfn-lint'), '--format', 'parseable',
                              path], capture_output=True, text=True)
        return ':E0000:' in out.stdout or 'E0000' in out.stdout


def main():
    table = []
    for name, text in cases():
        read = decode(text)
        # PyYAML alone does not know CloudFormation's tags, so its position is asked only of a failed input.
        position = libyaml_error(text) if read['kind'] == 'error' else None
        table.append({'name': name, 'text': text, 'cfn_lint': read, 'libyaml_error': position,
                      'cfn_lint_parse_error': cli_parse_error(text)})
    json.dump({'cfn_lint_version': cfnlint.version.__version__, 'pyyaml_version': yaml.__version__,
               'pyyaml_with_libyaml': yaml.__with_libyaml__, 'cases': table}, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write('\n')


main()

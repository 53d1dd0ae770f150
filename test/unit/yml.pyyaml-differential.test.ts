import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolvePlain, type ScalarType } from '../../server/src/engine/yaml/resolve';

/** A small deterministic PRNG (mulberry32) so that the generated scalars are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plain scalars that stress PyYAML's implicit resolvers: numbers in every YAML 1.1/1.2 spelling, booleans, nulls, dates. */
export function generateScalars(count: number, seed = 20261127): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const digits = (min: number, max: number, alphabet = '0123456789'): string => {
    const n = min + Math.floor(r() * (max - min + 1));
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const withUnderscore = (s: string): string => (r() < 0.15 && s.length > 1 ? s.slice(0, 1) + '_' + s.slice(1) : s);
  const sign = (): string => pick(['', '', '', '-', '+']);
  const randomCase = (w: string): string => [...w].map((c) => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  const two = (max: number): string => String(Math.floor(r() * (max + 1))).padStart(2, '0');
  const templates: (() => string)[] = [
    () => sign() + withUnderscore(digits(1, 4)),
    () => sign() + '0' + digits(1, 3),
    () => sign() + withUnderscore(digits(1, 3)) + '.' + digits(0, 3),
    () => sign() + digits(1, 2) + pick(['e', 'E']) + pick(['', '-', '+']) + digits(1, 2),
    () => sign() + digits(1, 2) + '.' + digits(0, 2) + pick(['e', 'E']) + pick(['', '-', '+']) + digits(1, 2),
    () => '.' + digits(1, 3) + pick(['', 'e-2', 'e+1', 'e3', 'E-1']),
    () => sign() + '.' + digits(1, 2),
    () => sign() + '0x' + withUnderscore(digits(1, 4, '0123456789abcdefABCDEF')),
    () => sign() + '0b' + withUnderscore(digits(1, 5, '01')),
    () => '0o' + digits(1, 3, '01234567'),
    () => sign() + digits(1, 2) + ':' + digits(1, 2),
    () => sign() + digits(1, 2) + ':' + two(59) + ':' + digits(1, 2),
    () => sign() + digits(1, 2) + ':' + two(70) + '.' + digits(0, 2),
    () => randomCase(pick(['yes', 'no', 'on', 'off', 'true', 'false', 'y', 'n'])),
    () => pick(['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'True', 'FALSE']),
    () => pick(['null', 'Null', 'NULL', 'nUll', '~', 'None', 'nil']),
    () => sign() + pick(['.inf', '.Inf', '.INF', '.iNf', '.nan', '.NaN', '.NAN', '.nAn', 'inf', 'nan']),
    () => digits(4, 4) + '-' + two(14) + '-' + two(33),
    () => digits(4, 4) + '-' + String(1 + Math.floor(r() * 12)) + '-' + String(1 + Math.floor(r() * 31)),
    () =>
      '20' +
      two(30) +
      '-' +
      two(12) +
      '-' +
      two(28) +
      pick(['T', 't', ' ', '  ']) +
      two(25) +
      ':' +
      two(60) +
      ':' +
      two(60) +
      pick(['', '.5', '.123456789', '.']) +
      pick(['', 'Z', '+01', '-5', ' -05:30', '+24', '+23:59']),
    () => '20' + two(30) + '-' + two(12) + '-' + two(28),
    () => pick(['e5', '1e', '1_e5', '1.0e', 'e', 'E3', '1ee3', '1e3.0', '0x', '0b', '0b_', '0x_', '0_', '_1', '1__0', '1.2.3', '12:', ':30']),
    () => digits(1, 3, 'abcdefxyz') + pick(['', '1', '_lr', '-3']),
    () => pick(['=', '<<', 'a=b', '<<x']),
  ];
  const out = new Set<string>();
  const fixed = [
    '~',
    'null',
    'Null',
    'NULL',
    '1e-3',
    '1e3',
    '1.0e3',
    '1.0e-3',
    '1E-5',
    '-1e-3',
    '+1.5e+3',
    'yes',
    'no',
    'on',
    'off',
    '017',
    '010',
    '08',
    '09',
    '1:30',
    '1:30:00',
    '2024-01-15',
    '0',
    '-0',
    '1.',
    '.5',
    '1_000',
  ];
  for (const f of fixed) out.add(f);
  let guard = 0;
  while (out.size < count && guard++ < count * 20) out.add(pick(templates)());
  return [...out];
}

const ORACLE = `
import sys, json, math, datetime, yaml
out = []
for s in json.load(sys.stdin):
    try:
        d = yaml.safe_load('v: ' + s + '\\n')
    except yaml.constructor.ConstructorError as e:
        out.append(['error', str(e).splitlines()[0]]); continue
    except yaml.YAMLError as e:
        out.append(['skip', str(e).splitlines()[0]]); continue
    except (ValueError, OverflowError) as e:
        out.append(['error', str(e)]); continue
    if not isinstance(d, dict) or list(d.keys()) != ['v']:
        out.append(['skip', repr(d)]); continue
    v = d['v']
    if v is None: out.append(['null', None])
    elif isinstance(v, bool): out.append(['bool', v])
    elif isinstance(v, int): out.append(['int', str(v)])
    elif isinstance(v, float): out.append(['float', 'nan' if math.isnan(v) else repr(v)])
    elif isinstance(v, datetime.datetime): out.append(['datetime', v.strftime('%Y-%m-%dT%H:%M:%S')])
    elif isinstance(v, datetime.date): out.append(['date', v.isoformat()])
    elif isinstance(v, str): out.append(['str', v])
    else: out.append(['other', repr(v)])
print(json.dumps(out))
`;

function pythonHasYaml(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3 cannot import yaml (install Debian python3-yaml: apt-get install -y python3-yaml)';
  }
}

function same(mine: ScalarType, kind: string, value: unknown): boolean {
  if (mine.kind !== kind) return false;
  switch (kind) {
    case 'null':
    case 'error':
      return true;
    case 'int':
      return String(mine.value) === value;
    case 'float': {
      if (value === 'nan') return Number.isNaN(mine.value);
      const v = String(value);
      const expected = v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);
      return mine.value === expected;
    }
    default:
      return mine.value === value;
  }
}

describe('YAML scalar classification: differential test against PyYAML (python3-yaml)', function () {
  this.timeout(60_000);

  it('types at least 1000 generated plain scalars exactly as yaml.safe_load does', function () {
    const reason = pythonHasYaml();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const scalars = generateScalars(1600);
    const oracle = JSON.parse(execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(scalars), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as [
      string,
      unknown,
    ][];
    assert.equal(oracle.length, scalars.length);
    const mismatches: string[] = [];
    let compared = 0;
    const kinds = new Map<string, number>();
    scalars.forEach((s, i) => {
      const [kind, value] = oracle[i];
      if (kind === 'skip') return;
      compared++;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const mine = resolvePlain(s, 'pyyaml');
      if (!same(mine, kind, value))
        mismatches.push(`${JSON.stringify(s)}: PyYAML ${kind} ${JSON.stringify(value)}, ours ${mine.kind} ${JSON.stringify(mine.value)}`);
    });
    assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} of ${compared} differ`);
    assert.ok(compared >= 1000, `only ${compared} scalars compared`);
    // the generator must exercise every kind, or the comparison proves little
    for (const k of ['null', 'bool', 'int', 'float', 'str', 'date', 'datetime', 'error'])
      assert.ok((kinds.get(k) ?? 0) > 3, `too few ${k} scalars: ${kinds.get(k) ?? 0}`);
  });

  it('the facts of formats.md section 6 hold for the classifier', () => {
    assert.equal(resolvePlain('1e-3', 'pyyaml').kind, 'str');
    assert.equal(resolvePlain('1e3', 'pyyaml').kind, 'str');
    assert.equal(resolvePlain('1.0e3', 'pyyaml').kind, 'str');
    assert.deepEqual(resolvePlain('1.0e-3', 'pyyaml'), { kind: 'float', value: 0.001, form: 'exponent' });
    assert.equal(resolvePlain('1e-3', 'omegaconf').kind, 'float');
    assert.equal(resolvePlain('1e-3', 'yaml12').kind, 'float');
    assert.equal(resolvePlain('017', 'pyyaml').value, 15);
    assert.equal(resolvePlain('1:30', 'pyyaml').value, 90);
    assert.equal(resolvePlain('yes', 'pyyaml').value, true);
    assert.equal(resolvePlain('yes', 'yaml12').kind, 'str');
    assert.equal(resolvePlain('2024-01-15', 'pyyaml').kind, 'date');
    assert.equal(resolvePlain('2024-01-15', 'omegaconf').kind, 'str');
  });
});

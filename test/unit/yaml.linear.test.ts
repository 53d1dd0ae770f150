import * as assert from 'node:assert/strict';
import { Composer, Parser } from 'yaml';
import { YamlDocument } from '../../server/src/engine/text/yamlDocument';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/** The duplicate-key errors the yaml package itself gives (`uniqueKeys: true`, its default): offsets and messages. */
function packageDuplicates(text: string): [number, string][] {
  const docs = [...new Composer({ prettyErrors: false, uniqueKeys: true, strict: false, logLevel: 'error' }).compose(new Parser().parse(text))];
  return docs.flatMap((d) => d.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e): [number, string] => [e.pos[0], e.message]));
}

function ourDuplicates(text: string): [number, string][] {
  const y = new YamlDocument(text);
  return y.documents.flatMap((d) => d.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e): [number, string] => [e.pos[0], e.message]));
}

/** A config of `n` keys at one level, about 98 bytes a line (50,000 keys: 4.9 MB, the size issue 18 measured). */
function wide(n: number, prefix = ''): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`${prefix}key_${String(i).padStart(6, '0')}: "value ${i} ${'x'.repeat(70)}"`);
  return lines.join('\n') + '\n';
}

describe('YAML: linear in the number of keys of a mapping', function () {
  this.timeout(180_000);
  let root = '';
  afterEach(() => root && rmrf(root));

  it('duplicate keys are found exactly where the yaml package finds them (block, flow, nested, by value with ===)', () => {
    const cases = [
      'a: 1\nb: 2\na: 3\n',
      'a: 1\na:\n',
      'top:\n  x: 1\n  y: 2\n  x: 3\nother:\n  x: 1\n',
      '{a: 1, b: 2, a: 3}\n',
      '- {k: 1, k: 2}\n- k: 1\n  k: 2\n',
      '1: a\n"1": b\n', // 1 and "1" are different keys
      'true: a\n"true": b\ntrue: c\n',
      '.nan: 1\n.nan: 2\n', // NaN !== NaN: the package keeps both
      '? [a]\n: 1\n? [a]\n: 2\n', // collections as keys: equal only when the same node
      'a: &x 1\n*x : 2\n',
      '---\na: 1\na: 2\n---\na: 1\nb: 2\nb: 3\n',
      'a: 1\nb: [1, 2\na: 2\n', // a syntax error before the duplicate: the order of errors is kept
      '[a: 1, a: 2]\n', // pairs in a flow sequence are single-pair maps: no duplicate
      '<<: {a: 1}\n<<: {b: 2}\n',
      '"a": 1\n\'a\': 2\na: 3\n',
    ];
    for (const text of cases) {
      assert.deepEqual(ourDuplicates(text), packageDuplicates(text), JSON.stringify(text));
      const y = new YamlDocument(text);
      const all = new YamlDocument(text).documents.flatMap((d) => d.errors.map((e) => e.code));
      const pkg = [...new Composer({ prettyErrors: false, strict: false, logLevel: 'error' }).compose(new Parser().parse(text))].flatMap((d) =>
        d.errors.map((e) => e.code),
      );
      assert.deepEqual(all, pkg, `every error, in the package's order: ${JSON.stringify(text)}`);
      assert.equal(y.hasErrors, pkg.length > 0);
    }
    assert.equal(ourDuplicates('a: 1\nb: 2\na: 3\n').length, 1, 'the check fires');
    // one deliberate difference: after an empty value with CRLF line ends the package reports the duplicate from the
    // `\r` of the line before (offset 8 here, the old "one column past the line" of issue 18); it is put on the key
    assert.deepEqual(packageDuplicates('a: 1\r\nb:\r\na:\r\n'), [[8, 'Map keys must be unique']]);
    assert.deepEqual(ourDuplicates('a: 1\r\nb:\r\na:\r\n'), [[10, 'Map keys must be unique']]);
  });

  it('YamlDocument.pair finds the first pair of a key in a small and a large (indexed) mapping', () => {
    for (const n of [3, 1000]) {
      const y = new YamlDocument(wide(n) + 'key_000001: duplicate\n');
      const map = y.rootMap!;
      assert.equal(String((YamlDocument.pair(map, 'key_000001')!.value as { value: unknown }).value), 'value 1 ' + 'x'.repeat(70));
      assert.equal(YamlDocument.pair(map, `key_${String(n - 1).padStart(6, '0')}`)?.key && true, true);
      assert.equal(YamlDocument.pair(map, 'missing'), undefined);
    }
  });

  it('check of a 40,000-key params.yaml (DVC) and Hydra config takes at most ~3x (bound 7x) the time of 10,000 keys', async () => {
    const time = async (n: number): Promise<{ ms: number; findings: number }> => {
      root = gitRepo({
        'README.md': '# x\n',
        'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py\n    params: [key_000001]\n',
        'params.yaml': wide(n),
        'train.py': 'import hydra\n@hydra.main(config_path="configs", config_name="config", version_base=None)\ndef main(cfg):\n    pass\n',
        'configs/config.yaml': 'defaults:\n  - _self_\n' + wide(n, 'h'),
      });
      try {
        let best = Infinity;
        let findings = 0;
        for (let i = 0; i < 2; i++) {
          const t0 = process.hrtime.bigint();
          findings = (await checkFolder(root)).length;
          best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return { ms: best, findings };
      } finally {
        rmrf(root);
        root = '';
      }
    };
    await time(2000); // warm up the JIT
    const small = await time(10_000);
    const large = await time(40_000);
    const ratio = large.ms / small.ms;
    // every key but one is unused by the stage: one DVC finding each, so the work really grew fourfold
    assert.ok(large.findings > 39_000 && small.findings > 9_000, `${small.findings} and ${large.findings} findings`);
    // measured: about 3x (linear, plus a fixed part); quadratic steps (the yaml package's duplicate-key scan, a list
    // search per key) gave 11-13x
    console.log(`      10,000 keys: ${small.ms.toFixed(0)} ms; 40,000 keys: ${large.ms.toFixed(0)} ms; ratio ${ratio.toFixed(2)}`);
    assert.ok(ratio < 7, `40,000 keys took ${ratio.toFixed(1)}x the time of 10,000 (${large.ms.toFixed(0)} ms vs ${small.ms.toFixed(0)} ms)`);
  });
});

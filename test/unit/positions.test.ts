import * as assert from 'node:assert/strict';
import { TextIndex } from '../../server/src/engine/text/textIndex';
import type { Finding } from '../../server/src/engine';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every finding's range lies inside its file: lines exist, columns are within the line's text (no line break). */
export function outsideTheirFile(root: string, findings: Finding[]): string[] {
  const bad: string[] = [];
  for (const f of findings) {
    let text = '';
    try {
      text = fs.readFileSync(path.join(root, f.file), 'utf8').replace(/^\ufeff/, '');
    } catch {
      /* a finding on a folder or a file that is not text is at 0:0 */
    }
    const idx = new TextIndex(text);
    for (const p of [f.range.start, f.range.end]) {
      if (p.line < 0 || p.line >= idx.lineCount || p.character < 0 || p.character > idx.lineText(p.line).length) {
        bad.push(`${f.code} ${f.file} ${p.line}:${p.character} (lines ${idx.lineCount}, line length ${idx.lineText(p.line).length})`);
      }
    }
  }
  return bad;
}

const EOLS = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;

describe('positions inside their file for \\n, \\r\\n and lone \\r', () => {
  let root = '';
  afterEach(() => root && rmrf(root));

  it('TextIndex counts the three line ends and never places an offset past its line', () => {
    const idx = new TextIndex('a: 1\r\nb:\r\nc\rd\n');
    assert.equal(idx.lineCount, 5);
    assert.deepEqual(idx.positionAt(9), { line: 1, character: 2 }, 'the \\n of \\r\\n is the end of line 1, not column 3');
    assert.deepEqual(idx.positionAt(8), { line: 1, character: 2 });
    assert.deepEqual(idx.positionAt(11), { line: 2, character: 1 });
    assert.equal(idx.lineText(3), 'd');
  });

  for (const [name, eol] of Object.entries(EOLS)) {
    it(`${name}: MLH002 of a duplicate key with an empty value, PRE007 and DVC060 stay on their line`, async () => {
      const lines = (...l: string[]): string => l.join(eol) + eol;
      root = gitRepo({
        'README.md': '# x\n',
        'conf.yaml': lines('a:', 'a:', 'b: 1'),
        'dvc.yaml': lines('stages:', '  t:', '    cmd: python t.py', '    cmd:'),
        Makefile: lines('train:', '\tpython scripts/missing_script.py', 'test:', '\tpytest'),
        '.dvc/config': lines('[core]', '    remote = nowhere', '[\'remote "storage"\']', '    url = s3://bucket/path'),
      });
      const findings = await checkFolder(root);
      assert.deepEqual(outsideTheirFile(root, findings), []);
      const pre = findings.find((f) => f.code === 'PRE007');
      assert.ok(pre, JSON.stringify(findings.map((f) => f.code)));
      assert.deepEqual([pre.range.start.line, pre.range.start.character], [1, 8]);
      const remote = findings.find((f) => f.code === 'DVC060');
      assert.ok(remote, JSON.stringify(findings.map((f) => f.code)));
      assert.equal(remote.range.start.line, 1);
      const dup = findings.filter((f) => f.code === 'MLH002' && f.file === 'dvc.yaml');
      assert.ok(dup.length >= 1, JSON.stringify(findings.filter((f) => f.file === 'dvc.yaml')));
    });
  }
});

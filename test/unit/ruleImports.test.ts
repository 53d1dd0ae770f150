import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const RULES = path.resolve(__dirname, '../../../server/src/engine/rules');

describe('rules: a family imports no other family (shared helpers live in the domain folders)', () => {
  it('no file under rules/<family>/ imports from rules/<other family>/', () => {
    const offenders: string[] = [];
    for (const family of fs
      .readdirSync(RULES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)) {
      for (const f of fs.readdirSync(path.join(RULES, family)).filter((n) => n.endsWith('.ts'))) {
        const text = fs.readFileSync(path.join(RULES, family, f), 'utf8');
        for (const m of text.matchAll(/from '(\.\.\/[^']+)'/g)) {
          const target = path.relative(RULES, path.resolve(RULES, family, m[1])).split(path.sep);
          // '../../x' leaves rules/ (a domain module); '../y/z' is another family
          if (target[0] !== '..' && target[0] !== family && target.length > 1) offenders.push(`rules/${family}/${f} imports ${m[1]}`);
        }
      }
    }
    assert.deepEqual(offenders, [], 'move the helper into server/src/engine/<domain>/');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs, sourceSection } from '../../scripts/gen-rule-docs';
import { ALL_RULES } from '../../server/src/engine';
import { PROJECT_ROOT } from '../support/tmp';

describe('docs/rules', () => {
  it('is current with the rules (run `npm run docs` after changing a rule)', () => {
    const dir = path.join(PROJECT_ROOT, 'docs', 'rules');
    for (const [name, text] of expectedDocs()) {
      const file = path.join(dir, name);
      assert.ok(fs.existsSync(file), `docs/rules/${name} is missing: run npm run docs`);
      assert.equal(fs.readFileSync(file, 'utf8'), text, `docs/rules/${name} is stale: run npm run docs`);
    }
  });
});

describe('docs/rules/<CODE>.md: from a code to its source in one step', () => {
  it('names the file that declares each rule and the tests that name its code', () => {
    const sections = sourceSection(ALL_RULES);
    const missing = ALL_RULES.filter((r) => /\(not found\)|\(none name the code\)/.test(sections.get(r.code)!)).map((r) => r.code);
    assert.deepEqual(missing, [], 'every rule has its source file and at least one test naming its code');
    // the link is the real file: GIT001 is declared in rules/git/modelFiles.ts
    assert.match(sections.get('GIT001')!, /- Rule: \[server\/src\/engine\/rules\/git\/\w+\.ts\]/);
    const file = /- Rule: \[([^\]]+)\]/.exec(sections.get('GIT001')!)![1];
    assert.match(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'), /code: 'GIT001'/);
  });
});

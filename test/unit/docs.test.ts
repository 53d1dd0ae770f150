import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs } from '../../scripts/gen-rule-docs';
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

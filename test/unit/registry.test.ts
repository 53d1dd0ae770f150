import * as assert from 'node:assert/strict';
import { ALL_RULES, registryProblems, renderRuleDoc } from '../../server/src/engine';

describe('rule registry', () => {
  it('has unique, well-formed codes and complete docs', () => {
    assert.deepEqual(registryProblems(), []);
  });

  it('detects a rule with a missing doc and a duplicate code', () => {
    const bad = { ...ALL_RULES[0], doc: { ...ALL_RULES[0].doc, why: '' } };
    const problems = registryProblems([ALL_RULES[0], bad]);
    assert.ok(problems.some((p) => p.includes('duplicate code')));
    assert.ok(problems.some((p) => p.includes('doc.why is empty')));
  });

  it('renders every doc with the what/why/example/fix sections', () => {
    for (const r of ALL_RULES) {
      const md = renderRuleDoc(r);
      for (const h of ['## What it does', '## Why is this bad?', '## Example', '## How to fix']) assert.ok(md.includes(h), `${r.code} lacks ${h}`);
      assert.ok(md.startsWith(`# ${r.code} ${r.name}`));
    }
  });
});

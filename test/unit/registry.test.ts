import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, registryProblems, renderRuleDoc, type Rule } from '../../server/src/engine';
import { CASES_SEEN, rulesWithoutCases } from '../support/ruleCases';

// The per-rule case files (test/unit/cases/*.cases.test.ts), loaded here too so this file alone sees every case; mocha
// loads each module once, so running the whole suite does not register their tests twice.
const CASES_DIR = path.join(__dirname, 'cases');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- each case file by its path
for (const f of fs.existsSync(CASES_DIR) ? fs.readdirSync(CASES_DIR).sort() : []) if (f.endsWith('.cases.test.js')) require(path.join(CASES_DIR, f));

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

  it('has a valid and an invalid ruleCases case for every rule (test/unit/cases/)', () => {
    assert.ok(CASES_SEEN.size > 0, 'the case files were loaded');
    assert.deepEqual(
      rulesWithoutCases(),
      [],
      'every rule needs a case that fires and one that must not: ruleCases(CODE, { valid, invalid }) in test/unit/cases/<family>.cases.test.ts',
    );
  });

  it('names each rule that lacks a kind of case', () => {
    const fake = { ...ALL_RULES[0], code: 'TST999' };
    assert.deepEqual(rulesWithoutCases([fake, ALL_RULES[1]]), ['TST999 (no valid and no invalid case)']);
  });

  it('renders every doc with the what/why/example/fix sections', () => {
    for (const r of ALL_RULES) {
      const md = renderRuleDoc(r);
      for (const h of ['## What it does', '## Why is this bad?', '## Example', '## How to fix']) assert.ok(md.includes(h), `${r.code} lacks ${h}`);
      assert.ok(md.startsWith(`# ${r.code} ${r.name}`));
    }
  });

  /** Every rule object a module under rules/ exports, with the name it is exported as (compiled files beside this test). */
  function exportedRules(): { id: string; file: string; rule: Rule }[] {
    const out: { id: string; file: string; rule: Rule }[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.js')) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- every rule file by its path
          for (const [id, v] of Object.entries(require(p) as Record<string, unknown>)) {
            if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Rule).code === 'string' && (v as Rule).doc)
              out.push({ id, file: path.relative(dir, p), rule: v as Rule });
          }
        }
      }
    };
    walk(path.join(__dirname, '..', '..', 'server', 'src', 'engine', 'rules'));
    return out;
  }

  it('finds a rule from its code in one step: its identifier is the camelCase of its name', () => {
    const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const found = exportedRules();
    assert.ok(found.length > 100, `the walk sees the rule modules (${found.length})`);
    const wrong = found
      .filter((x) => x.id !== camel(x.rule.name) && x.id !== 'rules' && x.id !== 'coreRules')
      .map((x) => `${x.rule.code}: ${x.id} should be ${camel(x.rule.name)}`);
    assert.deepEqual(wrong, []);
  });

  it('registers every rule a module defines, each family in code order', () => {
    const registered = new Set(ALL_RULES);
    const unregistered = exportedRules()
      .filter((x) => !registered.has(x.rule))
      .map((x) => x.rule.code);
    assert.deepEqual([...new Set(unregistered)], [], 'defined but not listed in its family index.ts');
    const families = new Map<string, string[]>();
    for (const r of ALL_RULES) {
      const f = r.code.replace(/\d+$/, '');
      families.set(f, [...(families.get(f) ?? []), r.code]);
    }
    for (const [f, codes] of families) assert.deepEqual(codes, [...codes].sort(), `${f} rules are listed in code order`);
  });
});

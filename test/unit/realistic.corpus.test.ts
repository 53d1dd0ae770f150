import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusEntries, checkEntry, materialise, missingFrom, readExpected, readJudgements, writeExpected, CORPUS_DIR, EXPECTED_FILE } from '../support/corpus';
import { git, rmrf } from '../support/tmp';

/**
 * The precision corpus: each repository under test/fixtures/realistic/ is committed to a fresh git repository and
 * checked by the whole engine; its findings must be exactly the lines of its expected-findings.txt (every line
 * present, no other finding). The expected files are a snapshot a reviewer reads line by line: a finding judged
 * wrong is listed in test/fixtures/realistic/judged-wrong.txt with the reason, and BEFORE.md holds the figures.
 *
 * MLH_UPDATE_CORPUS=1 rewrites the expected files from what the engine finds now; then read `git diff`.
 */
const UPDATE = process.env.MLH_UPDATE_CORPUS === '1';

describe('realistic corpus (test/fixtures/realistic)', function () {
  this.timeout(120_000);
  const entries = corpusEntries();

  it('has at least six repositories, each with an expected-findings file', () => {
    assert.ok(entries.length >= 6, `only ${entries.length} repositories`);
    if (!UPDATE) for (const e of entries) assert.ok(readExpected(e.name), `${e.name}/${EXPECTED_FILE} is missing (run with MLH_UPDATE_CORPUS=1)`);
  });

  it('the manifest is not stale: every untracked path exists and stays out of the commit, everything else is in it', () => {
    for (const e of entries) {
      const root = materialise(e);
      try {
        const tracked = new Set(git(root, 'ls-files', '-z').split('\0').filter(Boolean));
        assert.ok(!tracked.has(EXPECTED_FILE), `${e.name}: ${EXPECTED_FILE} must not be part of the repository`);
        for (const u of e.untracked) {
          assert.ok(fs.existsSync(path.join(CORPUS_DIR, e.name, u)), `${e.name}: untracked path ${u} does not exist`);
          assert.ok(![...tracked].some((t) => t === u || t.startsWith(u + '/')), `${e.name}: ${u} was committed`);
        }
        assert.ok(tracked.size > 5, `${e.name}: only ${tracked.size} files committed`);
      } finally {
        rmrf(root);
      }
    }
  });

  it('judged-wrong.txt names only repositories of the corpus', () => {
    const names = new Set(entries.map((e) => e.name));
    for (const j of readJudgements()) assert.ok(names.has(j.repo), `judged-wrong.txt: unknown repository ${j.repo}`);
  });

  for (const entry of entries) {
    it(`${entry.name}: exactly the expected findings`, async () => {
      const actual = await checkEntry(entry);
      if (UPDATE) {
        writeExpected(entry.name, actual);
        return;
      }
      const expected = readExpected(entry.name) ?? [];
      const missing = missingFrom(expected, actual);
      const unexpected = missingFrom(actual, expected);
      assert.ok(
        missing.length === 0 && unexpected.length === 0,
        `${entry.name}: findings differ from ${EXPECTED_FILE} (MLH_UPDATE_CORPUS=1 rewrites it; then read the diff)\n` +
          missing.map((l) => `  expected but not found: ${l}\n`).join('') +
          unexpected.map((l) => `  found but not expected: ${l}\n`).join(''),
      );
    });
  }
});

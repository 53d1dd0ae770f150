import * as assert from 'node:assert/strict';
import { corpusEntries, checkEntry, missingFrom, readExpected, writeExpected, EXPECTED_FILE } from '../support/corpus';

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

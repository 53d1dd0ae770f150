// Findings per rule over the precision corpus (test/fixtures/realistic/), and which of them a reviewer judged wrong
// (test/fixtures/realistic/judged-wrong.txt). Runs the engine on a fresh git repository made from each fixture, like
// the corpus test does; `--expected` counts the committed expected-findings.txt files instead (no engine run).
// Usage: npm run compile-tests && node scripts/corpus-stats.mjs [--expected] [--markdown]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const corpus = require(join(root, 'out', 'test', 'support', 'corpus.js'));
const fromExpected = process.argv.includes('--expected');
const markdown = process.argv.includes('--markdown');

const judgements = corpus.readJudgements();
const perRule = new Map(); // code -> { total, wrong, repos: Set }
const wrongSeen = [];
const used = new Set();
let total = 0;
for (const entry of corpus.corpusEntries()) {
  const lines = fromExpected ? (corpus.readExpected(entry.name) ?? []) : await corpus.checkEntry(entry);
  for (const line of lines) {
    const code = corpus.codeOf(line);
    const r = perRule.get(code) ?? { total: 0, wrong: 0, repos: new Set() };
    r.total++;
    r.repos.add(entry.name);
    total++;
    const j = judgements.find((x) => corpus.judgementMatches(x, entry.name, line));
    if (j) {
      r.wrong++;
      used.add(j);
      wrongSeen.push({ repo: entry.name, line, why: j.why });
    }
    perRule.set(code, r);
  }
}

const codes = [...perRule.keys()].sort();
const wrong = codes.reduce((n, c) => n + perRule.get(c).wrong, 0);
if (markdown) {
  console.log('| rule | findings | judged wrong | repositories |\n|---|---|---|---|');
  for (const c of codes) {
    const r = perRule.get(c);
    console.log(`| ${c} | ${r.total} | ${r.wrong} | ${[...r.repos].join(', ')} |`);
  }
  console.log(`| all | ${total} | ${wrong} | |`);
} else {
  console.log('rule     findings  judged-wrong  repositories');
  for (const c of codes) {
    const r = perRule.get(c);
    console.log(`${c.padEnd(8)} ${String(r.total).padStart(8)}  ${String(r.wrong).padStart(12)}  ${[...r.repos].join(', ')}`);
  }
  console.log(`${'all'.padEnd(8)} ${String(total).padStart(8)}  ${String(wrong).padStart(12)}`);
}
console.log(`\nJudged wrong and still reported (${wrongSeen.length}):`);
for (const w of wrongSeen) console.log(`  ${w.repo}: ${w.line}\n      why wrong: ${w.why}`);
const gone = judgements.filter((j) => !used.has(j));
console.log(`\nJudged wrong and no longer reported at that place (${gone.length}):`);
for (const j of gone) console.log(`  ${j.repo}: ${j.where} ${j.code}`);

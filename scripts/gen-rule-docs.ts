/**
 * Writes docs/rules/<CODE>.md for every rule and docs/rules/README.md (the index), from the rules' own metadata, so the
 * docs, `mlops-hygiene rules` and the editor's hover never disagree. `npm run docs`; a unit test fails when they are stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, renderRuleDoc, type Rule } from '../server/src/engine';

export function ruleIndex(rules: readonly Rule[]): string {
  const lines = [
    '# Rules',
    '',
    'Generated from the rules themselves by `npm run docs`; do not edit by hand.',
    '',
    '| Code | Name | Severity | What |',
    '|---|---|---|---|',
  ];
  for (const r of rules) lines.push(`| [${r.code}](${r.code}.md) | ${r.name} | ${r.severity}${r.optIn ? ' (opt-in)' : ''} | ${r.title} |`);
  return lines.join('\n') + '\n';
}

const ROOT = path.resolve(__dirname, '..', '..'); // out/scripts -> the repository

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out.sort();
}

/**
 * Where a rule lives and which tests name it, so that a code leads to its source in one step: the file under
 * server/src/engine/rules that declares `code: 'XXX000'`, and every test file that mentions the code.
 */
export function sourceSection(rules: readonly Rule[]): Map<string, string> {
  const sources = tsFiles('server/src/engine/rules').map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')] as const);
  const tests = tsFiles('test')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')] as const);
  const out = new Map<string, string>();
  for (const r of rules) {
    const src = sources.filter(([, t]) => t.includes(`code: '${r.code}'`)).map(([f]) => f);
    const tst = tests.filter(([, t]) => new RegExp(`\\b${r.code}\\b`).test(t)).map(([f]) => f);
    const link = (f: string): string => `[${f}](../../${f})`;
    out.set(
      r.code,
      ['', '## Source', `- Rule: ${src.map(link).join(', ') || '(not found)'}`, `- Tests: ${tst.map(link).join(', ') || '(none name the code)'}`, ''].join(
        '\n',
      ),
    );
  }
  return out;
}

export function expectedDocs(rules: readonly Rule[] = ALL_RULES): Map<string, string> {
  const files = new Map<string, string>();
  const sources = sourceSection(rules);
  for (const r of rules) files.set(`${r.code}.md`, renderRuleDoc(r) + sources.get(r.code));
  files.set('README.md', ruleIndex(rules));
  return files;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? 'docs/rules');
  fs.mkdirSync(dir, { recursive: true });
  const files = expectedDocs();
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.md') && !files.has(f)) fs.rmSync(path.join(dir, f));
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  console.log(`wrote ${files.size} files to ${path.relative(process.cwd(), dir)}`);
}

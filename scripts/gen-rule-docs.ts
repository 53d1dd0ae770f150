/**
 * Writes docs/rules/<CODE>.md for every rule and docs/rules/README.md (the index), from the rules' own metadata, so the
 * docs, `mlops-hygiene rules` and the editor's hover never disagree. `npm run docs`; a unit test fails when they are stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, renderRuleDoc, type Rule } from '../server/src/engine';

export function ruleIndex(rules: readonly Rule[]): string {
  const lines = ['# Rules', '', 'Generated from the rules themselves by `npm run docs`; do not edit by hand.', '', '| Code | Name | Severity | What |', '|---|---|---|---|'];
  for (const r of rules) lines.push(`| [${r.code}](${r.code}.md) | ${r.name} | ${r.severity}${r.optIn ? ' (opt-in)' : ''} | ${r.title} |`);
  return lines.join('\n') + '\n';
}

export function expectedDocs(rules: readonly Rule[] = ALL_RULES): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rules) files.set(`${r.code}.md`, renderRuleDoc(r));
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

import type { Rule } from './rule';

/** The rule's doc as Markdown: one source for `mlops-hygiene rules`, the hover and docs/rules/. */
export function renderRuleDoc(rule: Rule): string {
  const d = rule.doc;
  const fence = (s: string): string => '```\n' + s.replace(/\n$/, '') + '\n```';
  return [
    `# ${rule.code} ${rule.name}`,
    '',
    `**${rule.title}** · default severity: ${rule.severity}${rule.optIn ? ' · off unless selected' : ''}`,
    '',
    '## What it does',
    d.what,
    '',
    '## Why is this bad?',
    d.why,
    '',
    '## Example',
    fence(d.example),
    '',
    '## How to fix',
    d.fix,
    ...(d.references?.length ? ['', '## References', ...d.references.map((r) => `- ${r}`)] : []),
    '',
    `Suppress on one line with \`# mlops-hygiene: ignore[${rule.code}]\`, or everywhere with \`ignore = ["${rule.code}"]\` under \`[tool.mlops-hygiene]\` in pyproject.toml.`,
    '',
  ].join('\n');
}

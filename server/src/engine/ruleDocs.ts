import type { Rule } from './rule';
import { ruleDocUrl } from './links';

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

/** Markdown's special characters in plain text (a rule title such as "_target_ into ...") shown as they are. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>#|~]/g, '\\$&');
}

/**
 * The hover of a finding (VS Code shows the diagnostic's message above it): the rule's title, the first paragraph of
 * its "why", and a link to the full doc, not the whole doc with its headings.
 */
export function renderRuleHover(rule: Rule): string {
  const why = rule.doc.why
    .trim()
    .split(/\n\s*\n/)[0]
    .replace(/\s*\n\s*/g, ' ');
  return [`**${rule.code}** ${escapeMarkdown(rule.title)}`, '', why, '', `[${rule.code} ${rule.name}: the full rule doc](${ruleDocUrl(rule.code)})`].join('\n');
}

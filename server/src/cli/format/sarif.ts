import { createHash } from 'node:crypto';
import type * as sarif from 'sarif';
import { ruleDocUrl, renderRuleDoc, type Finding, type Rule } from '../../engine';

const LEVEL: Record<Finding['severity'], sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * GitHub code scanning's `security-severity` of the SEC rules, by their default severity: a number from 0.0 to 10.0 as
 * a string (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low), read from the rule's `properties` together
 * with the `security` tag. A secret in the repository is high; the others are medium or low.
 */
const SECURITY_SEVERITY: Record<Finding['severity'], string> = { error: '8.0', warning: '5.0', info: '3.0', hint: '1.0' };

/** The key of our fingerprint in `partialFingerprints` (versioned: a change of the recipe is a new key). */
export const FINGERPRINT_KEY = 'mlopsHygiene/v1';

/**
 * Fingerprints that survive line moves, so code scanning matches a result to the one of the previous analysis after
 * lines are added above it: a hash of the code, the file and the offending line's text with its whitespace normalised,
 * plus the occurrence index among findings with the same three (two identical lines in one file stay two results).
 */
export function fingerprints(findings: Finding[], lineText: (file: string, line: number) => string): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = lineText(f.file, f.range.start.line).trim().replace(/\s+/g, ' ');
    const base = `${f.code}\0${f.file}\0${text}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  });
}

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: rules with help (and security-severity for SEC rules), results with a
 * region (1-based) and a partial fingerprint. `lineText` gives a line of a checked file ('' when it has no text); `root`
 * is the checked folder relative to the repository's root.
 */
export function formatSarif(
  findings: Finding[],
  rules: readonly Rule[],
  version: string,
  lineText: (file: string, line: number) => string = () => '',
  root = '',
): string {
  // code scanning resolves the paths from the repository's root: a checked sub-folder is their prefix
  const prefix = root && root !== '.' && !root.startsWith('..') ? root.replace(/\/+$/, '') + '/' : '';
  const prints = fingerprints(findings, lineText);
  const used = rules.filter((r) => findings.some((f) => f.code === r.code));
  const index = new Map(used.map((r, i) => [r.code, i]));
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mlops-hygiene',
            informationUri: 'https://github.com/mlops-hygiene/mlops-hygiene',
            version,
            rules: used.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.doc.what },
              helpUri: ruleDocUrl(r.code),
              help: { text: `${r.doc.what}\n\n${r.doc.fix}`, markdown: renderRuleDoc(r) },
              defaultConfiguration: { level: LEVEL[r.severity] },
              ...(r.code.startsWith('SEC') ? { properties: { tags: ['security'], 'security-severity': SECURITY_SEVERITY[r.severity] } } : {}),
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The checked folder' } } },
        results: findings.map((f, i) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(prefix + f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

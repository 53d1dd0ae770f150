import type * as sarif from 'sarif';
import { ruleDocUrl, renderRuleDoc, type Finding, type Rule } from '../../engine';

const LEVEL: Record<Finding['severity'], sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, as GitHub code scanning reads it: rules with help, results with a region (1-based). */
export function formatSarif(findings: Finding[], rules: readonly Rule[], version: string): string {
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
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The checked folder' } } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

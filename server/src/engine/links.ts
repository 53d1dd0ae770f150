/** Where the rule docs (docs/rules/CODE.md, generated from the rules) are published. */
export const DOCS_BASE_URL = 'https://github.com/mlops-hygiene/mlops-hygiene/blob/main/docs/rules/';

export function ruleDocUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}

/**
 * Rows of the Data view as plain data (no `vscode` import: mocha tests them, test/unit/dvc.stageStatus.test.ts);
 * dataView.ts maps them onto tree items.
 */
import type { DvcStageStatus } from '../../../shared/protocol';

export interface StageRow {
  label: string;
  description: string;
  tooltip: string;
  /** Codicon and theme colour. */
  icon: [string, string?];
}

/** A pipeline stage: `stage train`, "out of date: data changed" (the DVC066 message), "up to date", "never run". */
export function stageRow(st: DvcStageStatus): StageRow {
  const name = st.name.slice(st.name.lastIndexOf(':') + 1);
  const file = st.name.includes(':') ? st.name.slice(0, st.name.lastIndexOf(':')) : 'dvc.yaml';
  const label = `stage ${name}`;
  switch (st.state) {
    case 'up-to-date':
      return { label, description: st.changes.length ? `up to date · ${st.changes.join(', ')}` : 'up to date', tooltip: `**${name}** (${file}) is up to date with its dependencies, params and outputs.`, icon: ['pass', 'testing.iconPassed'] };
    case 'changed':
      return { label, description: `out of date: ${st.changes.join(', ')}`, tooltip: `**${name}** (${file}) is out of date:\n\n${st.changes.map((c) => `- ${c}`).join('\n')}\n\n\`dvc repro ${name}\` runs it again.`, icon: ['diff-modified', 'gitDecoration.modifiedResourceForeground'] };
    case 'never-run':
      return { label, description: 'never run', tooltip: `**${name}** (${file}) has never run: ${st.changes.join(', ')}.`, icon: ['circle-outline'] };
    default:
      return { label, description: 'status unknown', tooltip: `The status of **${name}** (${file}) could not be computed.`, icon: ['question'] };
  }
}

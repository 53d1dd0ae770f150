/**
 * Rows of the Data view as plain data (no `vscode` import: mocha tests them, test/unit/dvc.stageStatus.test.ts);
 * dataView.ts maps them onto tree items.
 */
import type { DvcItemState, DvcItemStatus, DvcStageStatus } from '../../../shared/protocol';

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
      return {
        label,
        description: st.changes.length ? `up to date · ${st.changes.join(', ')}` : 'up to date',
        tooltip: `**${name}** (${file}) is up to date with its dependencies, params and outputs.`,
        icon: ['pass', 'testing.iconPassed'],
      };
    case 'changed':
      return {
        label,
        description: `out of date: ${st.changes.join(', ')}`,
        tooltip: `**${name}** (${file}) is out of date:\n\n${st.changes.map((c) => `- ${c}`).join('\n')}\n\n\`dvc repro ${name}\` runs it again.`,
        icon: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
      };
    case 'never-run':
      return { label, description: 'never run', tooltip: `**${name}** (${file}) has never run: ${st.changes.join(', ')}.`, icon: ['circle-outline'] };
    default:
      return { label, description: 'status unknown', tooltip: `The status of **${name}** (${file}) could not be computed.`, icon: ['question'] };
  }
}

/** A data item of the Data view (and of Data Version History's pick: the same list). */
export interface DataItem {
  folder: string;
  path: string;
  source: string;
  /** The file a history or restore works on: the `.dvc` file, or the dvc.lock next to the stage's dvc.yaml. */
  recordFile: string;
  state: DvcItemState;
  detail?: string;
  hash?: string;
}

/** The recording file of an item's source (`data.dvc`, or `sub/dvc.yaml:train` -> `sub/dvc.lock`). */
export function recordFileOf(source: string): string {
  if (source.endsWith('.dvc')) return source;
  const yaml = source.slice(0, source.lastIndexOf(':'));
  const dir = yaml.includes('/') ? yaml.slice(0, yaml.lastIndexOf('/')) : '';
  return dir ? `${dir}/dvc.lock` : 'dvc.lock';
}

/** The Data view's items from the server's status: `.dvc` outs and stage outs (templated and generated stages included), not deps. */
export function itemsFromStatus(folder: string, items: readonly DvcItemStatus[]): DataItem[] {
  return items
    .filter((i) => i.kind !== 'stage-dep')
    .map((i) => ({
      folder,
      path: i.path,
      source: i.source,
      recordFile: recordFileOf(i.source),
      state: i.state,
      ...(i.detail ? { detail: i.detail } : {}),
      ...(i.hash ? { hash: i.hash } : {}),
    }));
}

/** What the Data view says in a restricted (untrusted) workspace, above its items. */
export const RESTRICTED_MESSAGE =
  'Restricted Mode: this workspace is not trusted, so the Data view only reads files. Its actions (track, push, pull, checkout, history and restore, tag, snapshot) run git and dvc and are disabled until you trust the workspace (Manage Workspace Trust).';

import * as path from 'node:path';
import type { FolderLayout } from '../../shared/protocol';

/**
 * What the Runs and Data views show when they are empty, made from each folder's real paths (WorkspaceLayoutRequest).
 *
 * VS Code's `viewsWelcome` contents are static text (context keys only choose between fixed variants), and a view's
 * `message` hides its welcome content, buttons included (a tree view shows the welcome only while it is empty and has
 * no message). So when the engine knows the project's training script, the views show message rows instead: a row that
 * names the script and its config folder, and rows that are the next actions (click to run them). Without a known
 * script the static welcome, with its buttons, stays. Nothing here names a path the engine did not find.
 */
export interface WelcomeRow {
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  /** A codicon name. */
  icon: string;
  command?: { command: string; title: string; arguments?: unknown[] };
}

/** `configs/`, `conf/`; the folder itself is `./`. */
const dirLabel = (dir: string): string => (dir === '' ? './' : `${dir}/`);
/** Each folder's row starts with its name when more than one folder is open. */
const prefix = (all: FolderLayout[], f: FolderLayout): string => (all.length > 1 ? `${path.basename(f.folder)}: ` : '');

/** `configs in configs/`: where the command's configs are, when known. */
const configsText = (f: FolderLayout): string => (f.configDir !== undefined ? `configs in ${dirLabel(f.configDir)}` : '');

/**
 * Runs view without runs: "No runs yet. Start one with:", then per folder with a known training command a row with the
 * command and its config folder (`python src/train.py` · configs in configs/), then (trusted workspaces) the Start a
 * Training Run row. Empty when no command is known.
 */
export function runsStartRows(folders: FolderLayout[], trusted: boolean): WelcomeRow[] {
  const known = folders.filter((f) => f.startCommand);
  if (!known.length) return [];
  const rows: WelcomeRow[] = [
    {
      id: 'welcome:runs',
      label: 'No runs yet. Start one with:',
      tooltip: 'No Hydra, W&B, MLflow, Lightning or DVC experiment run was found in this workspace. Runs appear here by themselves once training writes them.',
      icon: 'info',
    },
  ];
  for (const f of known) {
    rows.push({
      id: `welcome:runs:${f.folder}`,
      label: `${prefix(folders, f)}${f.startCommand}`,
      ...(configsText(f) ? { description: configsText(f) } : {}),
      tooltip: `${f.trainScript ? `${f.trainScript} is the training script of ${f.folder}` : `The DVC pipeline of ${f.folder} runs training`}${f.configDir !== undefined ? `; its configs are in ${dirLabel(f.configDir)}` : ''}.`,
      icon: 'terminal',
      ...(trusted ? { command: { command: 'mlopsHygiene.runs.startTraining', title: 'Start a Training Run', arguments: [f.folder] } } : {}),
    });
  }
  if (trusted) {
    rows.push({
      id: 'welcome:runs:start',
      label: 'Start a Training Run',
      tooltip: `Runs ${known.map((f) => `${f.startCommand} in ${f.folder}`).join(', or ')} in a terminal.`,
      icon: 'run',
      command: { command: 'mlopsHygiene.runs.startTraining', title: 'Start a Training Run' },
    });
  }
  return rows;
}

/** The first pipeline stage of a folder: its training script and config folder as dependencies. */
export function firstStage(f: FolderLayout): string | undefined {
  if (!f.trainScript || !f.startCommand) return undefined;
  const deps = [f.trainScript, ...(f.configDir !== undefined ? [dirLabel(f.configDir)] : [])];
  return `dvc stage add -n train ${deps.map((d) => `-d ${d}`).join(' ')} ${f.startCommand}`;
}

/**
 * Data view of a workspace without DVC (trusted: the actions run dvc): per folder without `.dvc/` whose training script
 * is known, what to do with the real paths, then Initialize DVC and Track Data with DVC as rows. Empty when no folder
 * has a known script (the static welcome and its buttons stay).
 */
export function dataStartRows(folders: FolderLayout[], trusted: boolean): WelcomeRow[] {
  if (!trusted) return [];
  const known = folders.filter((f) => !f.dvc && firstStage(f));
  if (!known.length) return [];
  const rows: WelcomeRow[] = [];
  for (const f of known) {
    const name = prefix(folders, f);
    rows.push({
      id: `welcome:data:${f.folder}`,
      label: `${name}${name ? 'no' : 'No'} .dvc/ yet`,
      description: 'Initialize DVC, then track your data and make training a stage:',
      tooltip: `${f.folder} has no .dvc folder: DVC is not initialised there.`,
      icon: 'info',
    });
    rows.push({
      id: `welcome:data:stage:${f.folder}`,
      label: firstStage(f)!,
      tooltip: `The first pipeline stage, with ${f.trainScript}${f.configDir !== undefined ? ` and its config folder ${dirLabel(f.configDir)}` : ''} as dependencies: run it in ${f.folder} after Initialize DVC.`,
      icon: 'terminal',
    });
  }
  rows.push({
    id: 'welcome:data:init',
    label: 'Initialize DVC',
    tooltip: 'Runs "dvc init" in the folder.',
    icon: 'add',
    command: { command: 'mlopsHygiene.initDvc', title: 'Initialize DVC', arguments: known.length === 1 ? [{ folder: known[0].folder }] : [] },
  });
  rows.push({
    id: 'welcome:data:track',
    label: 'Track Data with DVC',
    tooltip: 'Runs "dvc add" on a file or folder you pick.',
    icon: 'database',
    command: { command: 'mlopsHygiene.trackData', title: 'Track Data with DVC' },
  });
  return rows;
}

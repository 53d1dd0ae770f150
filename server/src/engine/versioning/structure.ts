import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { gitAt, splitZ } from './git';
import { DEFAULT_RUN_FOLDERS } from '../../../../shared/artefacts';
import type { StructureAction, StructurePlan, StructureResult } from '../../../../shared/types';
export type { StructureAction, StructurePlan, StructureResult } from '../../../../shared/types';

const FOLDERS: { path: string; keep?: string; reason: string }[] = [
  { path: 'data', reason: 'datasets, versioned with DVC and ignored by git' },
  { path: 'models', reason: 'trained models and checkpoints (DVC or W&B artifacts, not git)' },
  { path: 'configs', keep: 'configs/.gitkeep', reason: 'Hydra/OmegaConf and sweep configs' },
  { path: 'tests', keep: 'tests/__init__.py', reason: 'unit tests run by pytest and CI' },
  { path: 'notebooks', keep: 'notebooks/.gitkeep', reason: 'exploration notebooks' },
  { path: 'reports/figures', keep: 'reports/figures/.gitkeep', reason: 'generated figures' },
];

/** .gitignore entries for data and run artefacts, each with the folder it covers (for the "already tracked" check). */
const IGNORES: { entry: string; probe: string; reason: string }[] = [
  { entry: '/data/', probe: 'data/x', reason: 'data is versioned with DVC, not git' },
  { entry: '/models/', probe: 'models/x', reason: 'model files do not belong in git' },
  ...DEFAULT_RUN_FOLDERS.filter((f) => f.template).map((f) => ({ entry: `${f.name}/`, probe: `${f.name}/x`, reason: f.what })),
  { entry: '*.prof', probe: 'x.prof', reason: 'profiler output' },
  { entry: '.env', probe: '.env', reason: 'secrets such as WANDB_API_KEY' },
];

const README_SECTIONS: { heading: string; match: RegExp; body: string }[] = [
  {
    heading: 'Project structure',
    match: /^#{1,3}\s*(project\s+)?(structure|organi[sz]ation|layout)/im,
    body: 'Where things live: `src/` (code), `configs/` (configs), `data/` (DVC-tracked data), `models/`, `tests/`, `notebooks/`, `reports/`.',
  },
  {
    heading: 'Data',
    match: /^#{1,3}\s*(the\s+)?data(set)?s?\b/im,
    body: 'Data is versioned with DVC: `dvc pull` fetches it; after changing it, `dvc add data/`, commit the `.dvc` file and `dvc push`.',
  },
  {
    heading: 'Reproducing',
    match: /^#{1,3}\s*(reproduc|usage|getting started|how to run|training)/im,
    body: 'Install the environment, `dvc pull`, then run training with the configs in `configs/`. Tests: `pytest tests/`.',
  },
];

function exists(abs: string): boolean {
  try {
    fs.lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

async function trackedUnder(folder: string): Promise<string[]> {
  try {
    return splitZ(await gitAt(folder).raw(['-c', 'core.quotepath=off', 'ls-files', '-z', '--', 'data', 'models']));
  } catch {
    return [];
  }
}

/** The plan of missing pieces. Reads only. */
export async function planStructure(folder: string): Promise<StructurePlan> {
  const actions: StructureAction[] = [];
  const skipped: string[] = [];
  for (const f of FOLDERS) {
    const abs = path.join(folder, f.path);
    if (!exists(abs)) actions.push({ kind: 'mkdir', path: f.path, reason: f.reason });
    if (f.keep && !exists(path.join(folder, f.keep)) && (!exists(abs) || (fs.statSync(abs).isDirectory() && fs.readdirSync(abs).length === 0))) {
      actions.push({
        kind: 'create',
        path: f.keep,
        content: '',
        reason: f.keep.endsWith('.py') ? 'makes tests/ a package pytest can import from' : 'keeps the empty folder in git',
      });
    }
  }
  // .gitignore: entries not already covered by the root .gitignore, and never one that would hide files git tracks.
  let gitignoreText = '';
  const giPath = path.join(folder, '.gitignore');
  const giExists = exists(giPath);
  if (giExists) {
    try {
      gitignoreText = fs.readFileSync(giPath, 'utf8');
    } catch {
      skipped.push('.gitignore: unreadable, not changed');
      gitignoreText = '\0';
    }
  }
  if (gitignoreText !== '\0') {
    const ig = ignore().add(gitignoreText);
    const tracked = await trackedUnder(folder);
    const add: string[] = [];
    const reasons: string[] = [];
    for (const i of IGNORES) {
      if (ig.ignores(i.probe)) continue;
      const top = i.probe.split('/')[0];
      if (i.probe.includes('/') && tracked.some((t) => t.startsWith(`${top}/`))) {
        skipped.push(
          `${i.entry} not added to .gitignore: git tracks files under ${top}/ (move them to DVC first: \`git rm -r --cached ${top}\`, \`dvc add ${top}\`)`,
        );
        continue;
      }
      add.push(i.entry);
      reasons.push(`${i.entry} (${i.reason})`);
    }
    if (add.length) {
      const prefix = gitignoreText.length && !gitignoreText.endsWith('\n') ? '\n' : '';
      const content = `${prefix}${gitignoreText.length ? '\n' : ''}# Data and run artefacts (added by MLOps Hygiene)\n${add.join('\n')}\n`;
      actions.push(
        giExists
          ? { kind: 'append', path: '.gitignore', content, entries: add, reason: reasons.join('; ') }
          : { kind: 'create', path: '.gitignore', content, reason: reasons.join('; ') },
      );
    }
  }
  // README: create it, or append the sections it lacks.
  const readme = ['README.md', 'README.rst', 'README.txt', 'README'].find((n) => exists(path.join(folder, n)));
  if (!readme) {
    const name = path.basename(path.resolve(folder));
    const content = `# ${name}\n\n` + README_SECTIONS.map((s) => `## ${s.heading}\n\n${s.body}\n`).join('\n');
    actions.push({ kind: 'create', path: 'README.md', content, reason: 'every project needs a README: what it is, where the data is, how to reproduce' });
  } else if (readme === 'README.md') {
    let text = '';
    try {
      text = fs.readFileSync(path.join(folder, readme), 'utf8');
    } catch {
      skipped.push('README.md: unreadable, not changed');
    }
    const missing = README_SECTIONS.filter((s) => !s.match.test(text));
    if (text && missing.length) {
      const content = `${text.endsWith('\n') ? '' : '\n'}\n` + missing.map((s) => `## ${s.heading}\n\n${s.body}\n`).join('\n');
      actions.push({
        kind: 'append',
        path: 'README.md',
        content,
        entries: missing.map((s) => s.heading),
        reason: `sections missing: ${missing.map((s) => s.heading).join(', ')}`,
      });
    }
  } else {
    skipped.push(`${readme}: not Markdown, sections not added`);
  }
  return { folder, actions, skipped };
}

/** Applies a plan. Creation uses `wx` (fails rather than overwrite); appends re-check that the file did not change kind. */
export function applyStructure(plan: StructurePlan): StructureResult {
  const done: string[] = [];
  const skipped: string[] = [];
  for (const a of plan.actions) {
    const abs = path.join(plan.folder, a.path);
    try {
      if (a.kind === 'mkdir') {
        if (exists(abs)) {
          skipped.push(`${a.path}: exists now`);
          continue;
        }
        fs.mkdirSync(abs, { recursive: true });
        done.push(`created folder ${a.path}/`);
      } else if (a.kind === 'create') {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, a.content, { flag: 'wx' });
        done.push(`created ${a.path}`);
      } else {
        if (!exists(abs) || !fs.statSync(abs).isFile()) {
          skipped.push(`${a.path}: no longer a file`);
          continue;
        }
        fs.appendFileSync(abs, a.content);
        done.push(`appended to ${a.path}: ${a.entries.join(', ')}`);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      skipped.push(code === 'EEXIST' ? `${a.path}: exists now, not overwritten` : `${a.path}: ${(e as Error).message}`);
    }
  }
  return { done, skipped };
}

import { defineRepoRule, type RepoContext } from '../../rule';
import { appendToGitignore } from '../../fixes';
import type { Range } from '../../types';
import { RUN_FOLDERS } from './artefacts';
import { LINE_BREAK } from '../../text/textIndex';

const TOOL: Record<string, string> = {
  outputs: 'Hydra',
  multirun: 'Hydra',
  wandb: 'W&B',
  mlruns: 'MLflow',
  lightning_logs: 'Lightning',
};

/** The end of the root .gitignore (where an entry would be added), or the project anchor when there is none. */
export function gitignoreAnchor(ctx: RepoContext): { file: string; range: Range } | undefined {
  const gi = ctx.ws.readText('.gitignore');
  if (gi.ok) {
    const lines = gi.text.split(LINE_BREAK);
    let last = lines.length - 1;
    while (last > 0 && lines[last].trim() === '') last--;
    return { file: '.gitignore', range: { start: { line: last, character: 0 }, end: { line: last, character: lines[last].length } } };
  }
  return ctx.anchor();
}

/** Run folders at any depth in the listing (first path segment match), plus those present at the top level. */
function runFolderPaths(ctx: RepoContext): Map<string, string[]> {
  const found = new Map<string, string[]>(); // folder path -> tracked files in it
  for (const [rel, e] of ctx.ws.entries()) {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      if ((RUN_FOLDERS as readonly string[]).includes(parts[i])) {
        // `outputs/` is generic: count it only when it holds a Hydra run (a .hydra folder) or sits at the top level
        if (parts[i] === 'outputs' && i > 0 && !parts.includes('.hydra')) break;
        const dir = parts.slice(0, i + 1).join('/');
        const list = found.get(dir) ?? [];
        if (e.tracked) list.push(rel);
        found.set(dir, list);
        break;
      }
    }
  }
  for (const name of RUN_FOLDERS) if (!found.has(name) && ctx.ws.isDirectory(name)) found.set(name, []);
  return found;
}

export const runFolderNotIgnored = defineRepoRule({
  code: 'GIT005',
  name: 'run-folder-not-ignored',
  severity: 'warning',
  title: 'Run-artefact folder not ignored',
  doc: {
    what: 'A folder that an ML tool fills with run artefacts (`outputs/` and `multirun/` of Hydra, `wandb/`, `mlruns/`, `lightning_logs/`) exists and `.gitignore` does not ignore it.',
    why: 'Every run adds logs, configs, checkpoints and metadata; sooner or later `git add .` commits them (20 of 48 real ML repositories did). They carry personal data too: W&B metadata holds the author\'s email, MLflow `meta.yaml` absolute home paths.',
    example: '$ ls\noutputs/  src/  wandb/\n$ cat .gitignore\n__pycache__/\n',
    fix: 'Add the folders to `.gitignore` (`/outputs/`, `/multirun/`, `/wandb/`, `/mlruns/`, `/lightning_logs/`). Track runs in W&B or MLflow, not in git.',
  },
  check(ctx) {
    const missing: string[] = [];
    for (const dir of runFolderPaths(ctx).keys()) if (!ctx.ws.isIgnored(dir, true)) missing.push(dir);
    if (!missing.length) return;
    const at = gitignoreAnchor(ctx);
    if (!at) return;
    const fix = appendToGitignore(ctx.ws, missing.map((d) => `/${d}/`), `Add ${missing.map((d) => `'/${d}/'`).join(', ')} to .gitignore`);
    for (const dir of missing) {
      ctx.report({
        ...at,
        message: `${dir}/ holds ${TOOL[dir.split('/').pop()!] ?? 'run'} artefacts and is not ignored by .gitignore; add '/${dir}/'`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** What a committed run folder leaks, found by reading its metadata files (never printed, only named). */
function personalData(ctx: RepoContext, files: string[]): { file: string; what: string } | undefined {
  for (const f of files) {
    if (f.endsWith('wandb-metadata.json')) {
      const r = ctx.ws.readText(f);
      if (r.ok && /"(email|username)"\s*:\s*"[^"]+"/.test(r.text)) return { file: f, what: "the author's email or user name (wandb-metadata.json)" };
    }
    if (f.endsWith('meta.yaml') && f.includes('mlruns/')) {
      const r = ctx.ws.readText(f);
      if (r.ok && /file:\/\/\/?(home|Users|[A-Za-z]:)/.test(r.text)) return { file: f, what: 'absolute paths of the author\'s machine (MLflow meta.yaml)' };
    }
  }
  return undefined;
}

export const runFolderCommitted = defineRepoRule({
  code: 'GIT006',
  name: 'run-folder-committed',
  severity: 'warning',
  title: 'Run artefacts committed to git',
  doc: {
    what: 'Files inside a run-artefact folder (`wandb/`, `mlruns/`, `lightning_logs/`, `multirun/`, Hydra `outputs/`) are committed. The finding is attached to one of the committed files, preferring one that leaks personal data.',
    why: 'Run folders grow with every run and bloat the repository. They also publish personal data: `wandb-metadata.json` holds the author\'s email and user name, MLflow `meta.yaml` files hold absolute paths such as `file:///C:/Users/<name>/...`. Adding the folder to `.gitignore` afterwards does not remove what is committed (7 of 26 committed run folders in real repositories were already ignored).',
    example: '$ git ls-files wandb/ | head -1\nwandb/run-20241105_101010-ab12cd34/files/wandb-metadata.json\n',
    fix: '`git rm -r --cached wandb/` (and ignore it); to remove the data from the history as well, rewrite it with git filter-repo.',
  },
  check(ctx) {
    for (const [dir, tracked] of runFolderPaths(ctx)) {
      if (!tracked.length) continue;
      const leak = personalData(ctx, tracked);
      const file = leak?.file ?? tracked[0];
      ctx.report({
        file,
        message: `${tracked.length} file${tracked.length === 1 ? '' : 's'} of the run folder ${dir}/ ${tracked.length === 1 ? 'is' : 'are'} committed to git${
          leak ? `; ${leak.file} holds ${leak.what}` : ''
        }; run 'git rm -r --cached ${dir}' and ignore it`,
      });
    }
  },
});

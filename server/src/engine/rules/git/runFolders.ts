import { defineRepoRule, type RepoContext } from '../../rule';
import { appendToGitignore } from '../../fixes';
import type { Fix, Range } from '../../types';
import type { RunFolder } from '../../runs/folders';
import { LINE_BREAK } from '../../text/textIndex';

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

/**
 * The run folders of the workspace (by their markers, runs/folders.ts) with their tracked files. A folder is one only
 * when it looks like one: `src/pkg/wandb/` with an `__init__.py` is a package, `configs/wandb/` a config group.
 */
function runFolderFiles(ctx: RepoContext): Map<RunFolder, string[]> {
  const index = ctx.ws.runFolders();
  const found = new Map<RunFolder, string[]>(index.folders.map((f) => [f, []]));
  for (const [rel, e] of ctx.ws.entries()) {
    if (!e.tracked) continue;
    const f = index.containing(rel);
    if (f) found.get(f)!.push(rel);
  }
  return found;
}

function ignoreFix(ctx: RepoContext, dirs: string[]): Fix | undefined {
  return appendToGitignore(
    ctx.ws,
    dirs.map((d) => `/${d}/`),
    `Add ${dirs.map((d) => `'/${d}/'`).join(', ')} to .gitignore`,
  );
}

export const runFolderNotIgnored = defineRepoRule({
  code: 'GIT005',
  name: 'run-folder-not-ignored',
  severity: 'warning',
  title: 'Run-artefact folder not ignored',
  doc: {
    what: "A folder that an ML tool fills with runs exists and `.gitignore` does not ignore it. Run folders are recognised by what is in them, at any depth: W&B `run-*/files/`, MLflow numeric experiment folders with `meta.yaml` (and the `mlartifacts/` artifact store), Hydra runs with `.hydra/` (reported as the folder of their dated runs, e.g. `outputs/`), Lightning `version_N/` with `hparams.yaml` or `metrics.csv`. A package `src/pkg/wandb/` or a config group `configs/wandb/` is not one. A run folder with committed files is GIT006's finding.",
    why: "Every run adds logs, configs, checkpoints and metadata; sooner or later `git add .` commits them (20 of 48 real ML repositories did). They carry personal data too: W&B metadata holds the author's email, MLflow `meta.yaml` absolute home paths.",
    example: '$ ls\noutputs/  src/  wandb/\n$ cat .gitignore\n__pycache__/\n',
    fix: 'Add the folders to `.gitignore` (`/outputs/`, `/multirun/`, `/wandb/`, `/mlruns/`, `/lightning_logs/`). Track runs in W&B or MLflow, not in git.',
  },
  check(ctx) {
    // a folder with committed files is GIT006's (one finding per folder: remove from the index and ignore)
    const missing = [...runFolderFiles(ctx)].filter(([f, tracked]) => !tracked.length && !ctx.ws.isIgnored(f.dir, true)).map(([f]) => f);
    if (!missing.length) return;
    const at = gitignoreAnchor(ctx);
    if (!at) return;
    const fix = ignoreFix(
      ctx,
      missing.map((f) => f.dir),
    );
    for (const f of missing) {
      ctx.report({
        ...at,
        message: `${f.dir}/ holds ${f.what} and is not ignored by .gitignore; add '/${f.dir}/'`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** What a committed run folder leaks, found by reading its metadata files (never printed, only named). */
function personalData(ctx: RepoContext, folder: RunFolder, files: string[]): { file: string; what: string } | undefined {
  for (const f of files) {
    if (f.endsWith('wandb-metadata.json')) {
      const r = ctx.ws.readText(f);
      if (r.ok && /"(email|username)"\s*:\s*"[^"]+"/.test(r.text)) return { file: f, what: "the author's email or user name (wandb-metadata.json)" };
    }
    if (folder.tool === 'MLflow' && f.endsWith('meta.yaml')) {
      const r = ctx.ws.readText(f);
      if (r.ok && hasHomePath(r.text)) return { file: f, what: "absolute paths of the author's home folder (MLflow meta.yaml)" };
    }
  }
  return undefined;
}

/**
 * An absolute path into a user's home folder, as MLflow writes `artifact_location` / `artifact_uri`: `file:///home/<name>`,
 * `/Users/<name>` (macOS), `file:///C:/Users/<name>` or `C:\\Users\\<name>` (Windows), `file:///mnt/c/Users/<name>` (WSL),
 * `/root/`. The user name is personal data.
 */
export function hasHomePath(text: string): boolean {
  return /(?:^|[\s'"=:]|file:\/\/)\/(?:mnt\/[A-Za-z]\/)?(?:home|Users)\/[^/\s'"]+|(?:^|[\s'"=/])[A-Za-z]:[\\/](?:Users|Documents and Settings)[\\/][^\\/\s'"]+|(?:^|[\s'"=:]|file:\/\/)\/root\//im.test(
    text,
  );
}

export const runFolderCommitted = defineRepoRule({
  code: 'GIT006',
  name: 'run-folder-committed',
  severity: 'warning',
  title: 'Run artefacts committed to git',
  doc: {
    what: 'Files inside a run folder (W&B, MLflow runs or artifacts, Hydra, Lightning; recognised by their markers as for GIT005) are committed. One finding per folder, attached to one of the committed files, preferring one that leaks personal data (an email in `wandb-metadata.json`, a home folder path in an MLflow `meta.yaml`); when the folder is not ignored either, the same finding says so and offers to ignore it. The model and data files inside it are not reported one by one (GIT001-GIT004).',
    why: "Run folders grow with every run and bloat the repository. They also publish personal data: `wandb-metadata.json` holds the author's email and user name, MLflow `meta.yaml` files hold absolute paths such as `file:///C:/Users/<name>/...`. Adding the folder to `.gitignore` afterwards does not remove what is committed (7 of 26 committed run folders in real repositories were already ignored).",
    example: '$ git ls-files wandb/ | head -1\nwandb/run-20241105_101010-ab12cd34/files/wandb-metadata.json\n',
    fix: '`git rm -r --cached wandb/` (and ignore it); to remove the data from the history as well, rewrite it with git filter-repo.',
  },
  check(ctx) {
    for (const [f, tracked] of runFolderFiles(ctx)) {
      if (!tracked.length) continue;
      const leak = personalData(ctx, f, tracked);
      const file = leak?.file ?? tracked[0];
      const ignored = ctx.ws.isIgnored(f.dir, true);
      const fix = ignored ? undefined : ignoreFix(ctx, [f.dir]);
      ctx.report({
        file,
        message: `${tracked.length} file${tracked.length === 1 ? '' : 's'} of ${f.dir}/ (${f.what}) ${tracked.length === 1 ? 'is' : 'are'} committed to git${
          leak ? `; ${leak.file} holds ${leak.what}` : ''
        }; run 'git rm -r --cached ${f.dir}'${ignored ? '' : ` and add '/${f.dir}/' to .gitignore`}`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});

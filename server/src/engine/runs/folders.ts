import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_RUN_FOLDERS, type RunTool } from '../../../../shared/artefacts';

/**
 * The one answer to "is this folder a run folder" (W&B, MLflow, Hydra, Lightning), decided by what is inside it, never by
 * its name: a source package `src/pkg/wandb/` (with `__init__.py`), a Hydra config group `configs/wandb/` or a
 * `docker/wandb/` build folder are sources, while `logs/train/runs/2024-01-01_10-00-00/` with a `.hydra/` folder is a run.
 * GIT005/GIT006, `settings.isRunArtefact`, the walk without git (which folders it does not descend) and the Runs view
 * share it. The markers, as the tools write them:
 * - W&B: `wandb.init()` writes `<dir>/wandb/run-YYYYMMDD_HHMMSS-<id>/` (`offline-run-...` offline) with a `files/` folder
 *   (config.yaml, wandb-metadata.json, ...) and a `run-<id>.wandb` log, plus a `latest-run` link to the last one.
 * - MLflow's file store (`mlruns/`): one folder per experiment, named by its numeric id, with a `meta.yaml`; runs below
 *   it (`<32 hex>/meta.yaml`, `metrics/`, `params/`, `artifacts/`); deleted experiments in `.trash/`; registered models in
 *   `models/<name>/meta.yaml` (`version-N/meta.yaml`). The tracking server's artifact store (`mlartifacts/` by default)
 *   has `<experiment id>/<run id>/artifacts/...` (MLflow 3 also `<experiment id>/models/m-<id>/artifacts/...`).
 * - Hydra: every run folder has a `.hydra/` folder (config.yaml, hydra.yaml, overrides.yaml); a sweep folder a
 *   `multirun.yaml`. The defaults are `outputs/<date>/<time>/` and `multirun/<date>/<time>/<job number>/`.
 * - Lightning: loggers write `<save_dir>/<name>/version_N/` with `hparams.yaml` (TensorBoard and CSV loggers),
 *   `metrics.csv` (CSVLogger) or `events.out.tfevents.*` (TensorBoard); the default save dir is `lightning_logs/`.
 */

/** `{run|offline-run}-YYYYMMDD_HHMMSS-<id>`: the folder of one W&B run. */
export const WANDB_DIR_RE = /^(offline-run|run)-(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})-([A-Za-z0-9_-]+)$/;

export type { RunTool };

/** A folder that holds runs (the one to ignore or to remove from git), as found by its markers. */
export interface RunFolder {
  /** Workspace-relative POSIX path, no trailing slash. */
  dir: string;
  tool: RunTool;
  /** What it holds, for messages: "W&B runs", "MLflow artifacts", ... */
  what: string;
}

/** Names inside a folder (undefined: not a folder or not known). Adapters: `listingTree` (a file listing), `diskTree`. */
export interface FolderTree {
  children(dir: string): Map<string, boolean> | undefined; // name -> is a folder
}

const NUMERIC = /^\d+$/;
const RUN_ID = /^[0-9a-f]{32}$/;
const LOGGED_MODEL = /^m-[0-9a-f]{32}$/;
const VERSION = /^version_\d+$/;
/** Folder names that Hydra-style run dirs are made of: dates, times, both, job numbers. */
const TIME_LIKE = /^(?:\d{4}-\d{2}-\d{2}(?:[_T ]\d{2}[-:.]\d{2}[-:.]\d{2}(?:[-.]\d+)?)?|\d{2}[-:.]\d{2}[-:.]\d{2}(?:[-.]\d+)?|\d+)$/;
/** The default names of the tools' run folders: a run found just inside one of them is reported as the whole folder. */
const DEFAULT_ROOTS: Record<string, RunTool> = Object.fromEntries(DEFAULT_RUN_FOLDERS.map((f) => [f.name, f.tool]));

function isWandbRunName(name: string): boolean {
  return name === 'latest-run' || WANDB_DIR_RE.test(name);
}

const join = (dir: string, ...names: string[]): string => [dir, ...names].filter(Boolean).join('/');
const parentOf = (dir: string): string => (dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
const baseOf = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);

/** A `FolderTree` over a list of file paths (git's listing): the folders are the paths' prefixes. */
export function listingTree(paths: Iterable<string>): FolderTree {
  // built once per listing of up to 100,000s of paths: prefixes by slicing, and a folder already known (so are all its
  // parents) takes its file in one step
  const kids = new Map<string, Map<string, boolean>>();
  for (const p of paths) {
    const last = p.lastIndexOf('/');
    const fileName = p.slice(last + 1);
    const known = kids.get(last < 0 ? '' : p.slice(0, last));
    if (known) {
      if (!known.get(fileName)) known.set(fileName, false);
      continue;
    }
    let dir = '';
    let start = 0;
    for (;;) {
      const slash = p.indexOf('/', start);
      let m = kids.get(dir);
      if (!m) kids.set(dir, (m = new Map()));
      if (slash < 0) {
        if (!m.get(fileName)) m.set(fileName, false);
        break;
      }
      const name = p.slice(start, slash);
      if (name) {
        m.set(name, true);
        dir = dir ? `${dir}/${name}` : name;
      }
      start = slash + 1;
    }
  }
  return { children: (dir) => kids.get(dir) };
}

/** A `FolderTree` that reads folders on disk (cached per tree; symlinks are not followed). */
export function diskTree(root: string): FolderTree {
  const cache = new Map<string, Map<string, boolean> | undefined>();
  return {
    children(dir) {
      if (cache.has(dir)) return cache.get(dir);
      let m: Map<string, boolean> | undefined;
      try {
        m = new Map(fs.readdirSync(path.join(root, ...dir.split('/').filter(Boolean)), { withFileTypes: true }).map((e) => [e.name, e.isDirectory()]));
      } catch {
        m = undefined;
      }
      cache.set(dir, m);
      return m;
    },
  };
}

/** At most this many children are looked into per folder when checking markers (keeps a check bounded on huge folders). */
const PEEK = 8;

function firstDirs(kids: Map<string, boolean>, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const [name, isDir] of kids) if (isDir && test(name) && out.push(name) >= PEEK) break;
  return out;
}

/**
 * What `dir` itself is, by its markers: a folder holding runs (`wandb/` with `run-*` folders, an MLflow store, a Lightning
 * save dir with `version_N/`), or a single Hydra run (a folder with `.hydra/`). Undefined when it is not one.
 */
export function runFolderKind(tree: FolderTree, dir: string): RunFolder | undefined {
  const kids = tree.children(dir);
  if (!kids) return undefined;
  const has = (name: string, isDir?: boolean): boolean => kids.has(name) && (isDir === undefined || kids.get(name) === isDir);
  if (has('.hydra', true) || has('multirun.yaml', false)) return { dir, tool: 'Hydra', what: 'Hydra runs' };
  // W&B: run-*/files
  for (const name of firstDirs(kids, isWandbRunName)) {
    const run = tree.children(join(dir, name));
    if (run && (run.get('files') === true || [...run.keys()].some((n) => /^run-[A-Za-z0-9_-]+\.wandb$/.test(n)))) return { dir, tool: 'W&B', what: 'W&B runs' };
  }
  // MLflow file store / artifact store
  if (has('.trash', true) && (dir.endsWith('mlruns') || firstDirs(kids, (n) => NUMERIC.test(n)).length)) return { dir, tool: 'MLflow', what: 'MLflow runs' };
  let artifacts = false;
  for (const exp of firstDirs(kids, (n) => NUMERIC.test(n))) {
    const e = tree.children(join(dir, exp));
    if (!e) continue;
    if (e.get('meta.yaml') === false) return { dir, tool: 'MLflow', what: 'MLflow runs' };
    for (const run of firstDirs(e, (n) => RUN_ID.test(n))) {
      const r = tree.children(join(dir, exp, run));
      if (r?.get('meta.yaml') === false) return { dir, tool: 'MLflow', what: 'MLflow runs' };
      if (r?.get('artifacts') === true) artifacts = true;
    }
    if (e.get('models') === true && firstDirs(tree.children(join(dir, exp, 'models')) ?? new Map(), (n) => LOGGED_MODEL.test(n)).length) artifacts = true;
  }
  if (artifacts) return { dir, tool: 'MLflow', what: 'MLflow artifacts' };
  if (has('models', true)) {
    // the model registry of a file store: models/<name>/meta.yaml with version-N/meta.yaml
    for (const model of firstDirs(tree.children(join(dir, 'models'))!, () => true)) {
      const m = tree.children(join(dir, 'models', model));
      if (m?.get('meta.yaml') === false && [...m].some(([n, d]) => d && /^version-\d+$/.test(n))) return { dir, tool: 'MLflow', what: 'MLflow runs' };
    }
  }
  // Lightning: version_N with hparams.yaml, metrics.csv or TensorBoard events
  for (const v of firstDirs(kids, (n) => VERSION.test(n))) {
    const files = tree.children(join(dir, v));
    if (files && [...files.keys()].some((n) => n === 'hparams.yaml' || n === 'metrics.csv' || n.startsWith('events.out.tfevents.')))
      return { dir, tool: 'Lightning', what: 'Lightning logs' };
  }
  return undefined;
}

/**
 * The folder to report for a run found at `found`: a Hydra run folder is reported as the folder its dated run dirs are
 * in (`outputs/2024-01-01/10-00-00` -> `outputs`), a run just inside a folder of a tool's default name as that folder
 * (`lightning_logs/my_model` -> `lightning_logs`).
 */
function storeOf(found: RunFolder): RunFolder {
  let dir = found.dir;
  if (found.tool === 'Hydra') while (dir.includes('/') && TIME_LIKE.test(baseOf(dir))) dir = parentOf(dir);
  if (dir !== found.dir && !dir) dir = found.dir;
  const parent = parentOf(dir);
  if (dir.includes('/') && DEFAULT_ROOTS[baseOf(parent)] === found.tool) dir = parent;
  return { ...found, dir };
}

/** Whether a path may change what `findRunFolders` answers when it is created or deleted (a marker's name in it). */
export function mayMarkRunFolder(rel: string): boolean {
  return /(^|\/)(\.hydra|multirun\.yaml|files|meta\.yaml|artifacts|\.trash|hparams\.yaml|metrics\.csv|version_\d+|version-\d+|events\.out\.tfevents\.[^/]*|run-[^/]*\.wandb)(\/|$)/.test(
    rel,
  );
}

/**
 * The run folders of a tree, outermost first (a W&B or Lightning folder inside a Hydra run belongs to that run), found by
 * their markers at any depth below `start` (default: the top). `skip` names folders not to descend (bulk folders).
 * Bounded by `maxFolders`.
 */
export function findRunFolders(
  tree: FolderTree,
  opts: { start?: string; skip?: (dir: string, name: string) => boolean; maxFolders?: number; stats?: { visited: number; truncated: boolean } } = {},
): RunFolder[] {
  const out: RunFolder[] = [];
  const max = opts.maxFolders ?? 1_000_000;
  const stack = [opts.start ?? ''];
  let seen = 0;
  while (stack.length && seen < max) {
    const dir = stack.pop()!;
    // inside a store found meanwhile (the 10,000 sibling runs of the first one found): not even listed
    if (out.some((o) => dir === o.dir || dir.startsWith(o.dir + '/'))) continue;
    seen++;
    const kids = tree.children(dir);
    if (!kids) continue;
    const found = dir ? runFolderKind(tree, dir) : undefined;
    if (found) {
      const store = storeOf(found);
      // drop earlier finds inside it (a sibling found before the climb), keep only the outermost
      for (let i = out.length - 1; i >= 0; i--) if (out[i].dir.startsWith(store.dir + '/')) out.splice(i, 1);
      if (!out.some((o) => store.dir === o.dir || store.dir.startsWith(o.dir + '/'))) out.push(store);
      continue;
    }
    for (const [name, isDir] of kids) {
      if (!isDir || name === '.git' || opts.skip?.(dir, name)) continue;
      const child = join(dir, name);
      if (!out.some((o) => child === o.dir || child.startsWith(o.dir + '/'))) stack.push(child);
    }
  }
  if (opts.stats) {
    opts.stats.visited = seen;
    opts.stats.truncated = stack.length > 0;
  }
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/**
 * Run folders as found (by `runFolderKind`, e.g. by a walk that stopped at them) made into the folders to report: Hydra
 * runs climbed to their dated parent, runs inside another run folder dropped, sorted by path.
 */
export function collapseRunFolders(found: RunFolder[]): RunFolder[] {
  const stores = found.map(storeOf).sort((a, b) => a.dir.split('/').length - b.dir.split('/').length);
  const out: RunFolder[] = [];
  for (const s of stores) if (!out.some((o) => s.dir === o.dir || s.dir.startsWith(o.dir + '/'))) out.push(s);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** Answers "which run folder holds this path" for a set of run folders. */
export class RunFolderIndex {
  private readonly byDir = new Map<string, RunFolder>();
  constructor(readonly folders: readonly RunFolder[]) {
    for (const f of folders) this.byDir.set(f.dir, f);
  }
  /** The run folder that `rel` is in (or is), if any. */
  containing(rel: string): RunFolder | undefined {
    if (this.byDir.size === 0) return undefined; // asked for every path; most repositories have no run folder
    for (let d = rel; d; d = parentOf(d)) {
      const f = this.byDir.get(d);
      if (f) return f;
    }
    return undefined;
  }
}

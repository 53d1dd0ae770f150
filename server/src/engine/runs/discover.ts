/**
 * Run stores found by their markers at any depth (`src/models/outputs/<date>/<time>/.hydra`, `code/models/mlruns/0/...`,
 * `experiments/a/b/wandb/run-*`): the second way the readers find runs, besides the places they know (`wandb/`,
 * `mlruns/`, `lightning_logs/`, the Hydra output patterns). The markers are those of `folders.ts` (the answer GIT005 and
 * GIT006 use), so `check` and the Runs view / `runs` CLI find the same run folders.
 *
 * The walk is bounded: it never descends bulk folders (`.git`, `node_modules`, `.venv`, caches, the top-level `data/`,
 * `.dvc/`, hidden folders other than `.wandb`), stops at a run store (its runs are listed by the reader), and gives up
 * after `MAX_DISCOVERY_FOLDERS` folders with a note. Git-ignored folders are walked: runs are usually ignored.
 */
import * as path from 'node:path';
import { BULK_DIRS } from '../workspace';
import { diskTree, findRunFolders, type RunFolder, type RunTool } from './folders';
import type { RunsContext } from './types';
import { listDir } from './util';

/** At most this many folders are listed looking for run stores. */
export const MAX_DISCOVERY_FOLDERS = 20_000;
/** Memo key of the pass's marker stores; RunIndex keeps them across passes until a marker may have appeared. */
export const MARKER_STORES_MEMO = 'runs.markerStores';

export interface MarkerStores {
  stores: RunFolder[];
  notes: string[];
  /** Folders listed. */
  visited: number;
}

function skip(dir: string, name: string): boolean {
  if (BULK_DIRS.has(name)) return true;
  if (!dir && (name === 'data' || name === '.dvc')) return true;
  return name.startsWith('.') && name !== '.wandb';
}

/** The run stores below `root`, outermost first: one bounded walk of the disk. */
export function findRunStores(root: string, maxFolders = MAX_DISCOVERY_FOLDERS): MarkerStores {
  const stats = { visited: 0, truncated: false };
  const stores = findRunFolders(diskTree(root), { skip, maxFolders, stats });
  const notes = stats.truncated
    ? [
        `stopped looking for run folders by their markers after ${maxFolders} folders: runs deeper in large source trees may be missing (configure hydra.run.dir or keep runs in wandb/, mlruns/, lightning_logs/)`,
      ]
    : [];
  return { stores, notes, visited: stats.visited };
}

/** The pass's marker stores (one walk per pass, or kept by RunIndex across passes). */
export function markerStores(ctx: RunsContext): MarkerStores {
  let m = ctx.memo.get(MARKER_STORES_MEMO) as MarkerStores | undefined;
  if (!m) {
    m = findRunStores(ctx.root);
    ctx.memo.set(MARKER_STORES_MEMO, m);
  }
  return m;
}

/** The marker stores of one tool, as workspace-relative POSIX folders. */
export function storesOf(ctx: RunsContext, tool: RunTool, what?: string): string[] {
  return markerStores(ctx)
    .stores.filter((s) => s.tool === tool && (what === undefined || s.what === what))
    .map((s) => s.dir);
}

/**
 * The Hydra job folders inside a Hydra store (a folder its dated run folders are in, or a run folder itself). A folder
 * with `.hydra/` is a run; one with `multirun.yaml` is a sweep whose sub folders are its jobs. When the first folder of
 * a listing is a run, its siblings are taken as runs without listing each (10,000 runs: one listing), as the output
 * patterns do; reading drops a folder that has no `.hydra/`.
 */
export function hydraRunsIn(root: string, store: string, maxDepth = 4): { rel: string; sweep?: string }[] {
  const out: { rel: string; sweep?: string }[] = [];
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const marks = (rel: string) => {
    const names = listDir(abs(rel));
    return { names, run: names.some((e) => e.name === '.hydra' && e.isDirectory()), sweep: names.some((e) => e.name === 'multirun.yaml' && e.isFile()) };
  };
  const visit = (rel: string, depth: number, known?: ReturnType<typeof marks>) => {
    const m = known ?? marks(rel);
    if (m.run) {
      out.push({ rel });
      return;
    }
    const kids = m.names.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => `${rel}/${e.name}`);
    if (m.sweep) {
      for (const k of kids) out.push({ rel: k, sweep: rel });
      return;
    }
    if (depth >= maxDepth || !kids.length) return;
    const first = marks(kids[0]);
    if (first.run) {
      for (const k of kids) out.push({ rel: k });
      return;
    }
    visit(kids[0], depth + 1, first);
    for (const k of kids.slice(1)) visit(k, depth + 1);
  };
  visit(store, 0);
  return out;
}

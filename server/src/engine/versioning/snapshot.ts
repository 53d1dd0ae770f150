import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { gitAt, requireRepository, resolveCommit, showAt, VersioningError, workingTreeState } from './git';
import type { ParamChange, SnapshotPlan } from '../../../../shared/types';
export type { ParamChange, SnapshotPlan } from '../../../../shared/types';

/** Which changed files a snapshot commits: params files, configs, dvc.yaml, dvc.lock and `.dvc` files. */
export function isSnapshotFile(rel: string): boolean {
  const base = path.posix.basename(rel);
  if (rel.endsWith('.dvc') && base !== '.dvc') return true;
  if (base === 'dvc.lock' || base === 'dvc.yaml') return true;
  if (/^params([._-][\w.-]*)?\.(ya?ml|json|toml)$/i.test(base)) return true;
  const top = rel.split('/')[0];
  if (['configs', 'config', 'conf'].includes(top) && /\.(ya?ml|json|toml)$/i.test(base)) return true;
  return false;
}

/** Whether the file's changed keys are worth listing (params files and configs, not lock/dvc files). */
function isParamsFile(rel: string): boolean {
  return isSnapshotFile(rel) && !rel.endsWith('.dvc') && !['dvc.lock', 'dvc.yaml'].includes(path.posix.basename(rel));
}

function parseStructured(rel: string, text: string): unknown {
  if (/\.toml$/i.test(rel)) return parseToml(text);
  if (/\.json$/i.test(rel)) return JSON.parse(text);
  return parseYaml(text, { maxAliasCount: 1000, logLevel: 'error' });
}

/** Dot-separated leaves of a parsed document (lists are leaves: a changed list shows whole). */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));
  }
  return out;
}

/** Changed keys between two texts of a params/config file (`before` undefined: the file is new). */
export function diffParams(file: string, before: string | undefined, after: string | undefined): ParamChange[] | undefined {
  let a: Map<string, string>;
  let b: Map<string, string>;
  try {
    a = before === undefined ? new Map() : flatten(parseStructured(file, before));
    b = after === undefined ? new Map() : flatten(parseStructured(file, after));
  } catch {
    return undefined;
  }
  const out: ParamChange[] = [];
  for (const [key, v] of b) {
    if (!a.has(key)) out.push({ file, key, after: v, kind: 'added' });
    else if (a.get(key) !== v) out.push({ file, key, before: a.get(key), after: v, kind: 'changed' });
  }
  for (const [key, v] of a) if (!b.has(key)) out.push({ file, key, before: v, kind: 'removed' });
  return out;
}

function short(v: string | undefined): string {
  if (v === undefined) return '';
  return v.length > 40 ? v.slice(0, 37) + '...' : v;
}

export function describeChange(c: ParamChange): string {
  if (c.kind === 'added') return `${c.key}=${short(c.after)} (new)`;
  if (c.kind === 'removed') return `${c.key} removed`;
  return `${c.key}: ${short(c.before)} -> ${short(c.after)}`;
}

/** The commit message: a subject naming the changed parameters, then one line per change and the files. */
export function snapshotMessage(files: string[], changes: ParamChange[], unparsed: string[], title?: string): string {
  const names = [...new Set(changes.map((c) => c.key))];
  const subject =
    title ??
    (names.length
      ? `Snapshot experiment: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`
      : `Snapshot experiment: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more files` : ''}`);
  const lines = [subject, ''];
  if (changes.length) {
    lines.push('Changed parameters:');
    const byFile = new Map<string, ParamChange[]>();
    for (const c of changes) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
    for (const [file, list] of byFile) {
      lines.push(`  ${file}:`);
      for (const c of list) lines.push(`    ${describeChange(c)}`);
    }
    lines.push('');
  } else {
    lines.push('No parameter value changed.', '');
  }
  if (unparsed.length) lines.push(`Not compared (unreadable): ${unparsed.join(', ')}`, '');
  lines.push('Files:', ...files.map((f) => `  ${f}`));
  return lines.join('\n') + '\n';
}

/** What a snapshot would commit (no change made). Throws `nothing-to-commit` when no such file changed. */
export async function planSnapshot(folder: string, opts: { title?: string } = {}): Promise<SnapshotPlan> {
  const git = gitAt(folder);
  await requireRepository(git, folder);
  const head = await resolveCommit(git, 'HEAD');
  // Paths from `git status` are relative to the top level; run from the folder with `--` `.` to scope them.
  const top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(folder)).split(path.sep).join('/');
  const state = await workingTreeState(git);
  const strip = (p: string) => (prefix && p.startsWith(prefix + '/') ? p.slice(prefix.length + 1) : prefix ? undefined : p);
  const all = [...state.changed, ...state.untracked].map(strip).filter((p): p is string => p !== undefined);
  const files = [...new Set(all.filter(isSnapshotFile))].sort();
  const leftOut = [...new Set(all.filter((f) => !isSnapshotFile(f)))].sort();
  if (!files.length) {
    throw new VersioningError(
      `Nothing to snapshot: no params file, config, dvc.yaml, dvc.lock or .dvc file changed since the last commit${leftOut.length ? ` (other changes: ${leftOut.slice(0, 5).join(', ')})` : ''}.`,
      'nothing-to-commit',
    );
  }
  const paramChanges: ParamChange[] = [];
  const unparsed: string[] = [];
  // params files first (what people tune), then configs, so the subject names the parameters that matter most.
  const paramsFirst = files
    .filter(isParamsFile)
    .sort((a, b) => Number(!/^params/i.test(path.posix.basename(a))) - Number(!/^params/i.test(path.posix.basename(b))) || a.localeCompare(b));
  for (const f of paramsFirst) {
    const before = head ? await showAt(git, 'HEAD', `./${f}`) : undefined;
    let after: string | undefined;
    try {
      after = fs.readFileSync(path.join(folder, f), 'utf8');
    } catch {
      after = undefined; // deleted
    }
    const d = diffParams(f, before, after);
    if (d) paramChanges.push(...d);
    else unparsed.push(f);
  }
  return { folder, files, paramChanges, unparsed, message: snapshotMessage(files, paramChanges, unparsed, opts.title), leftOut };
}

/**
 * Commits exactly the plan's files (`git add -- files`, then `git commit --only -- files`, so whatever else is staged stays
 * staged and out of this commit). Returns the new commit id.
 */
export async function commitSnapshot(plan: SnapshotPlan): Promise<string> {
  const git = gitAt(plan.folder);
  await git.raw(['add', '-A', '--', ...plan.files]);
  await git.raw(['commit', '--cleanup=whitespace', '-m', plan.message, '--only', '--', ...plan.files]);
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
}

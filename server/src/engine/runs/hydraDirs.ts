/**
 * `hydra.run.dir` / `hydra.sweep.dir` resolved as Hydra resolves them when a job starts, from the composed primary
 * config (the engine's Hydra composition: defaults lists, groups, `_global_` packages), so a project that builds its
 * output folder from other keys (lightning-hydra-template: `${paths.log_dir}/${task_name}/runs/${now:...}` with
 * `paths.root_dir: ${oc.env:PROJECT_ROOT}`) is searched where its runs are.
 *
 * Facts this follows (Hydra 1.3, OmegaConf 2.3, rootutils):
 * - Hydra resolves the run dir with the job's config: `${task_name}`, `${paths.log_dir}` are ordinary node
 *   interpolations into the composed config; `${now:FMT}` is Hydra's resolver (strftime of the start time);
 *   `${hydra.job.name}` defaults to the stem of the `@hydra.main` script (`train.py` -> `train`); `${hydra.job.num}` and
 *   `${hydra.job.override_dirname}` depend on the job: wildcards here. `${hydra:runtime.cwd}` is the folder the
 *   command was started in: taken as the workspace folder (or the `.project-root` folder, below).
 * - `${oc.env:NAME,default}` reads an environment variable at run time. `PROJECT_ROOT` is set by rootutils'
 *   `setup_root(__file__, indicator=".project-root")`: the nearest folder upwards of the script holding `.project-root`.
 *   Any other variable: its default when written, else unknown (the pattern is then not searched; marker discovery
 *   still finds the runs).
 * - A relative run dir is relative to the folder the command was started in (taken as the workspace folder).
 */
import * as path from 'node:path';
import { Workspace } from '../workspace';
import { computeHydraProject } from '../hydra/project';
import { compose, nodeAtPath, type CNode, type Composition } from '../hydra/config';
import { primariesOf } from '../hydra/model';
import { compilePattern, type HydraPattern } from './hydra';
import { statOrUndefined, toPosix } from './util';

/** What a segment that cannot be known statically becomes: `segmentOf` turns any `${...}` other than `now:` into `.+?`. */
const ANY = '${*}';
const ROOTUTILS_INDICATOR = '.project-root';

export interface ResolveEnv {
  /** Absolute folder `${oc.env:PROJECT_ROOT}` stands for. */
  projectRoot: string;
  /** Absolute folder `${hydra:runtime.cwd}` stands for (relative run dirs are below it). */
  cwd: string;
  /** `hydra.job.name` (the script's stem), when known. */
  jobName?: string;
}

/**
 * Resolves the interpolations of `value` (found at `hydra.<kind>.dir`) against the composition. `${now:...}` is kept (a
 * wildcard matched by strftime fields); what cannot be known becomes a wildcard; `undefined` when a reference loops.
 */
export function resolveDir(value: string, comp: Composition, env: ResolveEnv, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && value[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (value[i] !== '$' || value[i + 1] !== '{') {
      out += value[i];
      continue;
    }
    // the matching brace (interpolations may nest: `${oc.env:X,${paths.a}}`)
    let level = 0;
    let j = i;
    for (; j < value.length; j++) {
      if (value[j] === '{') level++;
      else if (value[j] === '}' && --level === 0) break;
    }
    if (j >= value.length) return undefined; // unbalanced: OmegaConf would fail too
    const inner = value.slice(i + 2, j).trim();
    i = j;
    const r = resolveOne(inner, comp, env, depth);
    if (r === undefined) return undefined;
    out += r;
  }
  return out;
}

function resolveOne(inner: string, comp: Composition, env: ResolveEnv, depth: number): string | undefined {
  const colon = inner.indexOf(':');
  const resolver = colon > 0 && /^[A-Za-z_][\w.]*$/.test(inner.slice(0, colon)) ? inner.slice(0, colon) : undefined;
  if (resolver) {
    const arg = inner.slice(colon + 1).trim();
    if (resolver === 'now') return '${now:' + arg + '}';
    if (resolver === 'oc.env') {
      const comma = topLevelComma(arg);
      const name = (comma < 0 ? arg : arg.slice(0, comma)).trim();
      if (name === 'PROJECT_ROOT') return env.projectRoot;
      if (comma < 0) return ANY;
      const def = arg
        .slice(comma + 1)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2');
      return def === 'null' ? ANY : (resolveDir(def, comp, env, depth + 1) ?? ANY);
    }
    if (resolver === 'hydra') return hydraValue(arg.split('.'), comp, env, depth);
    return ANY; // another resolver (oc.select, a custom one): its value is only known at run time
  }
  if (inner.startsWith('.')) return ANY; // relative to the node holding it: not used for output folders in practice
  const keys = inner.split('.');
  if (keys[0] === 'hydra') return hydraValue(keys.slice(1), comp, env, depth);
  return scalarAt(keys, comp, env, depth);
}

/** A value of the `hydra` node: runtime facts first, else what the composed `hydra` config says. */
function hydraValue(keys: string[], comp: Composition, env: ResolveEnv, depth: number): string | undefined {
  const k = keys.join('.');
  if (k === 'runtime.cwd') return env.cwd;
  if (k === 'job.name') {
    const set = nodeAtPath(comp, ['hydra', 'job', 'name']);
    if (set?.t === 'scalar' && set.value !== null) return resolveScalar(set, comp, env, depth);
    return env.jobName ?? ANY;
  }
  if (keys[0] === 'runtime' && keys[1] === 'choices' && keys.length > 2) {
    const chosen = comp.choices.get(keys.slice(2).join('/'));
    return chosen?.length === 1 ? chosen[0] : ANY;
  }
  if (keys[0] === 'runtime' || k === 'job.num' || k === 'job.id' || k === 'job.override_dirname') return ANY;
  return scalarAt(['hydra', ...keys], comp, env, depth);
}

function scalarAt(keys: string[], comp: Composition, env: ResolveEnv, depth: number): string | undefined {
  const node = nodeAtPath(comp, keys);
  if (!node || node.t !== 'scalar' || node.value === null) return ANY;
  return resolveScalar(node, comp, env, depth);
}

function resolveScalar(node: Extract<CNode, { t: 'scalar' }>, comp: Composition, env: ResolveEnv, depth: number): string | undefined {
  const v = node.value;
  if (v === '???') return ANY; // mandatory, given on the command line
  return typeof v === 'string' ? resolveDir(v, comp, env, depth + 1) : String(v);
}

function topLevelComma(s: string): number {
  let level = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') level++;
    else if (s[i] === '}') level--;
    else if (s[i] === ',' && level === 0) return i;
  }
  return -1;
}

/** rootutils: the nearest folder from `fromDir` (workspace-relative) upwards, within the workspace, that holds `.project-root`. */
export function projectRootOf(root: string, fromDir: string): string {
  let rel = fromDir;
  for (let i = 0; i < 30; i++) {
    const abs = rel ? path.join(root, rel) : root;
    if (statOrUndefined(path.join(abs, ROOTUTILS_INDICATOR))?.isFile()) return abs;
    if (!rel) break;
    const up = path.posix.dirname(rel);
    rel = up === '.' ? '' : up;
  }
  return root;
}

/**
 * A resolved absolute or relative folder as a pattern below the workspace folder; a message when it lies outside or
 * starts with a part only known at run time.
 */
export function patternBelow(root: string, resolved: string, env: ResolveEnv, kind: 'run' | 'sweep', from: string, raw: string): HydraPattern | string {
  let p = resolved.trim();
  const isAbs = path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p);
  if (!isAbs && !p.startsWith('${') && !p.startsWith('~')) p = path.join(env.cwd, p);
  if (p.startsWith(ANY)) return `hydra.${kind}.dir '${raw}' in ${from} starts with a value only known at run time: searched by run markers instead`;
  const rootWithSep = root.endsWith(path.sep) ? root : root + path.sep;
  if (!(p + path.sep).startsWith(rootWithSep)) return `hydra.${kind}.dir '${raw}' in ${from} resolves to ${p}, outside the workspace folder: not searched`;
  // keep `${...}` parts intact while normalising slashes (`logs//train` from `log_dir: .../logs/`)
  const rel = toPosix(p.slice(rootWithSep.length))
    .split('/')
    .filter((s) => s && s !== '.')
    .join('/');
  if (!rel) return `hydra.${kind}.dir '${raw}' in ${from} is the workspace folder itself: searched by run markers instead`;
  const pattern = compilePattern(rel, kind, from);
  if (!pattern) return `hydra.${kind}.dir '${raw}' in ${from} resolves to '${rel}', which cannot be searched: searched by run markers instead`;
  pattern.raw = raw;
  pattern.resolved = rel;
  return pattern;
}

/**
 * Output patterns of every primary config the project composes (each config folder found as Hydra finds it), resolved
 * against its composition. `notes`: settings that could not be turned into a folder to search.
 */
export async function composedHydraPatterns(root: string, useGit: boolean): Promise<{ patterns: HydraPattern[]; notes: string[] }> {
  const ws = await Workspace.load(root, { useGit });
  const project = computeHydraProject(ws);
  const patterns: HydraPattern[] = [];
  const notes: string[] = [];
  for (const dir of project.configDirs) {
    if (!dir.exists) continue;
    const main = project.calls.find((c) => c.kind === 'main' && c.dir === dir.dir);
    const jobName = main ? path.posix.basename(main.file, '.py') : undefined;
    const scriptDir = main ? path.posix.dirname(main.file).replace(/^\.$/, '') : dir.dir;
    const projectRoot = projectRootOf(root, scriptDir);
    const env: ResolveEnv = { projectRoot, cwd: projectRoot === root ? root : projectRoot, jobName };
    let primaries: string[];
    try {
      primaries = primariesOf(ws, project, dir).slice(0, 20);
    } catch {
      continue;
    }
    for (const primary of primaries) {
      let comp: Composition;
      try {
        comp = compose(ws, project, dir, primary);
      } catch (e) {
        notes.push(`${primary}: could not be composed to find Hydra's output folder: ${(e as Error).message}`);
        continue;
      }
      for (const kind of ['run', 'sweep'] as const) {
        const node = nodeAtPath(comp, ['hydra', kind, 'dir']);
        if (!node || node.t !== 'scalar' || typeof node.value !== 'string') continue;
        const raw = node.value;
        const from = node.origin?.file ?? primary;
        const resolved = resolveDir(raw, comp, env);
        if (resolved === undefined) {
          notes.push(`hydra.${kind}.dir '${raw}' in ${from} does not resolve (a reference loops or a brace is unbalanced): searched by run markers instead`);
          continue;
        }
        const p = patternBelow(root, resolved, env, kind, from, raw);
        if (typeof p === 'string') notes.push(p);
        else patterns.push(p);
      }
    }
  }
  return { patterns, notes };
}

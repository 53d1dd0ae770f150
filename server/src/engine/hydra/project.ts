/**
 * Which files of the project are Hydra configs, found the way Hydra finds them.
 *
 * API (shared with other families; keep it stable):
 * - `hydraProject(ctx)`: the memoised HydraProject of the workspace for one check pass (use inside rules: `ctx` is the
 *   rule context; the files it read are attributed to the calling rule, so it is redone when they change).
 * - `computeHydraProject(ws)`: the same, not memoised (editor features, scripts).
 * - `HydraProject.configDirs`: config directories (workspace-relative, '' = root), each with how it was found
 *   (`hydra.main`, `initialize`, `initialize_config_dir`, `initialize_config_module`, `dvc`, `conventional`) and its primary
 *   config names.
 * - `HydraProject.configFiles` / `isConfigFile(rel)`: every listed .yaml/.yml file inside a config dir, except copies in
 *   run folders (outputs/, multirun/, .hydra/, wandb/, ...) and W&B sweep files (a file name containing `sweep`), which
 *   other loaders read. These files are read by OmegaConf: `1e-3` is a float there, interpolations are live.
 * - `HydraProject.configDirOf(rel)`: the config dir a file belongs to (the deepest one containing it).
 * - `HydraProject.calls`: every `@hydra.main` / `initialize*` / `compose` call with its resolved config dir and name.
 * - `HydraProject.resolvers`: resolver names registered in the code; `dynamicResolvers` when a name is not a literal.
 * - `usesHydra` (hydra or omegaconf imported, declared, or enabled in .dvc/config), `usesConfigStore` (structured configs).
 *
 * Discovery order: `@hydra.main(config_path=..., config_name=...)` relative to the Python file, `initialize(...)` /
 * `initialize_config_dir(...)` / `initialize_config_module(...)` then `compose(config_name=...)`, the `[hydra]` section of
 * `.dvc/config` (config_dir, default `conf`; config_name, default `config`), then conventional `configs/` and `conf/`
 * when the project uses Hydra or OmegaConf.
 */
import * as path from 'node:path';
import type { Workspace } from '../workspace';
import { argOf, findCalls, importsHydra, importsOmegaConf, maskPython, type PyArg, type PyCall } from './python';
import { declaredDependencies, dependencySourcesOf } from '../python/projectDependencies';
import type { DeclaredDependency } from '../python/dependencies';
import { configValue, readDvcConfig } from '../dvc/data/dvcConfig';

export type ConfigDirSource = 'hydra.main' | 'initialize' | 'initialize_config_dir' | 'initialize_config_module' | 'dvc' | 'conventional';

export interface HydraConfigDir {
  /** Workspace-relative folder, '' for the root, no trailing slash. */
  dir: string;
  source: ConfigDirSource;
  /** Primary config names (without extension) the code or DVC composes from this folder. */
  primaries: string[];
  /** Whether the folder exists on disk. */
  exists: boolean;
}

export interface HydraCall {
  file: string;
  kind: 'main' | 'initialize' | 'initialize_config_dir' | 'initialize_config_module' | 'compose';
  call: PyCall;
  configPath?: PyArg;
  configName?: PyArg;
  versionBase?: PyArg;
  /** The config folder the call points at (workspace-relative), when it can be known statically. */
  dir?: string;
  /** The path points outside the workspace (absolute or above the root): not checked. */
  outside?: boolean;
}

export interface HydraProject {
  configDirs: HydraConfigDir[];
  configFiles: string[];
  isConfigFile(rel: string): boolean;
  configDirOf(rel: string): HydraConfigDir | undefined;
  calls: HydraCall[];
  resolvers: Set<string>;
  dynamicResolvers: boolean;
  usesHydra: boolean;
  usesConfigStore: boolean;
  /** Python files that mention hydra or omegaconf (where calls were looked for). */
  pythonFiles: string[];
}

export interface PythonScan {
  masked: string;
  calls: PyCall[];
  importsHydra: boolean;
  importsOmegaConf: boolean;
  configStore: boolean;
}

const CALL_NAMES = new Set([
  'main',
  'initialize',
  'initialize_config_dir',
  'initialize_config_module',
  'compose',
  'register_new_resolver',
  'register_resolver',
]);
const scanCache = new WeakMap<Workspace, Map<string, { text: string; scan: PythonScan }>>();

/** The Python file's Hydra-relevant calls (cached by content). */
export function scanPython(ws: Workspace, rel: string, text: string): PythonScan {
  let m = scanCache.get(ws);
  if (!m) scanCache.set(ws, (m = new Map()));
  const hit = m.get(rel);
  if (hit && hit.text === text) return hit.scan;
  const masked = maskPython(text);
  const scan: PythonScan = {
    masked,
    calls: /hydra|omegaconf|OmegaConf|resolver/.test(text) ? findCalls(text, CALL_NAMES, masked) : [],
    importsHydra: importsHydra(masked),
    importsOmegaConf: importsOmegaConf(masked),
    configStore: /\bConfigStore\b/.test(masked),
  };
  m.set(rel, { text, scan });
  return scan;
}

export const isYamlPath = (rel: string): boolean => /\.ya?ml$/i.test(rel);

/** Memoised for one check pass; see the module comment. */
export function hydraProject(ctx: { ws: Workspace; memo<T>(key: string, f: () => T): T }): HydraProject {
  return ctx.memo('hydra.project', () => computeHydraProject(ctx.ws, () => dependencySourcesOf(ctx).deps));
}

/** Normalises a folder joined from parts; undefined when it leaves the workspace. */
function joinDir(base: string, rel: string): string | undefined {
  const joined = path.posix.normalize(path.posix.join(base || '.', rel));
  if (joined === '.' || joined === './') return '';
  if (joined.startsWith('../') || joined === '..' || path.posix.isAbsolute(joined)) return undefined;
  return joined.replace(/\/$/, '');
}

export function computeHydraProject(ws: Workspace, declared: () => DeclaredDependency[] = () => declaredDependencies(ws)): HydraProject {
  const calls: HydraCall[] = [];
  const resolvers = new Set<string>();
  let dynamicResolvers = false;
  let usesHydra = false;
  let usesConfigStore = false;
  const pythonFiles: string[] = [];
  const allPaths = [...ws.paths()];
  for (const rel of allPaths) {
    if (!rel.endsWith('.py') || ws.isRunArtefact(rel)) continue;
    const r = ws.readText(rel);
    if (!r.ok || !/hydra|omegaconf|OmegaConf/.test(r.text)) continue;
    const scan = scanPython(ws, rel, r.text);
    if (scan.importsHydra || scan.importsOmegaConf) usesHydra = true;
    if (scan.configStore) usesConfigStore = true;
    pythonFiles.push(rel);
    const fileDir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    let lastInitDir: string | undefined;
    for (const call of scan.calls) {
      if (call.fn === 'register_new_resolver' || call.fn === 'register_resolver') {
        const name = argOf(call, 'name', 0);
        if (name?.str !== undefined) resolvers.add(name.str);
        else dynamicResolvers = true;
        continue;
      }
      if (call.fn === 'main') {
        if (
          !call.decorator ||
          !(call.callee === 'hydra.main' || (call.callee === 'main' && scan.importsHydra && /from\s+hydra\s+import\s+[^\n]*\bmain\b/.test(scan.masked)))
        )
          continue;
        const hc: HydraCall = {
          file: rel,
          kind: 'main',
          call,
          configPath: argOf(call, 'config_path', 0),
          configName: argOf(call, 'config_name', 1),
          versionBase: argOf(call, 'version_base', 2),
        };
        resolveCallDir(hc, fileDir);
        calls.push(hc);
        continue;
      }
      if (!scan.importsHydra && !/\bhydra\./.test(call.callee)) continue;
      if (call.fn === 'initialize') {
        const hc: HydraCall = { file: rel, kind: 'initialize', call, configPath: argOf(call, 'config_path', 0), versionBase: argOf(call, 'version_base', 3) };
        resolveCallDir(hc, fileDir);
        lastInitDir = hc.dir;
        calls.push(hc);
      } else if (call.fn === 'initialize_config_dir') {
        const hc: HydraCall = {
          file: rel,
          kind: 'initialize_config_dir',
          call,
          configPath: argOf(call, 'config_dir', 0),
          versionBase: argOf(call, 'version_base', 1),
        };
        const p = hc.configPath;
        if (p?.str !== undefined) {
          const d = path.posix.isAbsolute(p.str) ? undefined : joinDir('', p.str);
          if (d === undefined) hc.outside = true;
          else hc.dir = d;
        }
        lastInitDir = hc.dir;
        calls.push(hc);
      } else if (call.fn === 'initialize_config_module') {
        const hc: HydraCall = {
          file: rel,
          kind: 'initialize_config_module',
          call,
          configPath: argOf(call, 'config_module', 0),
          versionBase: argOf(call, 'version_base', 1),
        };
        if (hc.configPath?.str !== undefined) hc.dir = moduleDir(ws, hc.configPath.str);
        lastInitDir = hc.dir;
        calls.push(hc);
      } else if (call.fn === 'compose') {
        const hc: HydraCall = { file: rel, kind: 'compose', call, configName: argOf(call, 'config_name', 0), dir: lastInitDir };
        calls.push(hc);
      }
    }
  }
  if (!usesHydra) {
    const deps = (() => {
      try {
        return declared();
      } catch {
        return [];
      }
    })();
    if (deps.some((d) => d.name === 'hydra-core' || d.name === 'omegaconf')) usesHydra = true;
  }

  const dirs = new Map<string, HydraConfigDir>();
  const addDir = (dir: string, source: ConfigDirSource, primary?: string): void => {
    let d = dirs.get(dir);
    if (!d) dirs.set(dir, (d = { dir, source, primaries: [], exists: dir === '' || ws.isDirectory(dir) }));
    if (primary && !d.primaries.includes(primary)) d.primaries.push(primary);
  };
  for (const c of calls) {
    if (c.kind === 'compose') continue;
    if (c.dir !== undefined) addDir(c.dir, c.kind === 'main' ? 'hydra.main' : c.kind, c.configName?.str?.replace(/\.ya?ml$/, ''));
  }
  for (const c of calls)
    if (c.kind === 'compose' && c.dir !== undefined && c.configName?.str) addDir(c.dir, 'initialize', c.configName.str.replace(/\.ya?ml$/, ''));

  const dvc = dvcHydraSection(ws);
  if (dvc?.enabled) {
    usesHydra = true;
    const d = joinDir('', dvc.configDir ?? 'conf');
    if (d !== undefined) addDir(d, 'dvc', dvc.configName ?? 'config');
  }
  if (usesHydra) for (const conv of ['configs', 'conf']) if (!dirs.has(conv) && ws.isDirectory(conv)) addDir(conv, 'conventional');

  const configDirs = [...dirs.values()];
  const sortedDirs = [...configDirs].sort((a, b) => b.dir.length - a.dir.length);
  const configDirOf = (rel: string): HydraConfigDir | undefined => sortedDirs.find((d) => d.dir === '' || rel.startsWith(d.dir + '/'));
  const configFiles: string[] = [];
  for (const rel of allPaths) {
    if (!isYamlPath(rel) || ws.isRunArtefact(rel) || /sweep/i.test(path.posix.basename(rel))) continue;
    const d = configDirOf(rel);
    if (!d) continue;
    // a root config dir ('') only covers YAML next to (or under) where the code says, not CI files or dvc.yaml
    if (d.dir === '' && (rel.startsWith('.') || /^(dvc|params)\.ya?ml$|^\.github\//.test(rel) || rel.includes('/.'))) continue;
    configFiles.push(rel);
  }
  configFiles.sort();
  const fileSet = new Set(configFiles);
  return {
    configDirs,
    configFiles,
    isConfigFile: (rel) => fileSet.has(rel),
    configDirOf,
    calls,
    resolvers,
    dynamicResolvers,
    usesHydra,
    usesConfigStore,
    pythonFiles,
  };

  function resolveCallDir(hc: HydraCall, fileDir: string): void {
    const p = hc.configPath;
    if (!p || p.isNone) return;
    if (p.str === undefined) return;
    if (p.str.startsWith('pkg://')) {
      hc.dir = moduleDir(ws, p.str.slice('pkg://'.length));
      return;
    }
    if (path.posix.isAbsolute(p.str) || /^[A-Za-z]:[\\/]/.test(p.str)) {
      hc.outside = true;
      return;
    }
    const d = joinDir(fileDir, p.str.replace(/\\/g, '/'));
    if (d === undefined) hc.outside = true;
    else hc.dir = d;
  }
}

/** A Python module path (`pkg.conf`) as a folder: at the root or under src/. */
function moduleDir(ws: Workspace, mod: string): string | undefined {
  const rel = mod.replace(/\./g, '/');
  for (const cand of [rel, `src/${rel}`]) if (ws.isDirectory(cand)) return cand;
  return rel;
}

/** The `[hydra]` section of the DVC config (.dvc/config, then config.local), read by the DVC config reader. */
export function dvcHydraSection(ws: Workspace): { enabled: boolean; configDir?: string; configName?: string; line: number } | undefined {
  const cfg = readDvcConfig(ws, '');
  const section = cfg.sections.find((s) => s.kind === 'hydra');
  if (!section) return undefined;
  const value = (key: string): string | undefined => configValue(cfg, 'hydra', key)?.value;
  return { enabled: /^(true|1|yes|on)$/i.test(value('enabled') ?? ''), configDir: value('config_dir'), configName: value('config_name'), line: section.line };
}

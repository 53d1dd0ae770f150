import * as path from 'node:path';
import { defineFileRule, type FileContext } from '../../rule';
import type { Fix } from '../../types';
import { TextIndex } from '../../text/textIndex';
import { hydraProject, type HydraCall } from '../../hydra/project';
import { closest } from '../../text/suggest';

function callsIn(ctx: FileContext): { calls: HydraCall[]; index: TextIndex } | undefined {
  const project = hydraProject(ctx);
  const calls = project.calls.filter((c) => c.file === ctx.file);
  if (!calls.length) return undefined;
  const r = ctx.text();
  if (!r.ok) return undefined;
  return { calls, index: new TextIndex(r.text) };
}

export const configPathNotFound = defineFileRule({
  code: 'HYD001',
  name: 'config-path-not-found',
  severity: 'error',
  title: 'Hydra config_path does not exist',
  doc: {
    what: '`@hydra.main(config_path=...)` or `initialize(config_path=...)` names a folder that does not exist. Hydra resolves `config_path` relative to the Python file that declares it, not to the working directory.',
    why: 'The run fails at start with "Primary config directory not found" (or composes nothing).',
    example: '# src/proj/train.py\n@hydra.main(config_path="configs", config_name="config", version_base="1.3")  # configs/ is at the repository root\n',
    fix: 'Give the path relative to the Python file: `config_path="../../configs"`.',
    references: ['https://hydra.cc/docs/tutorials/basic/your_first_app/config_file/'],
  },
  appliesTo: (rel) => rel.endsWith('.py'),
  check(ctx) {
    const found = callsIn(ctx);
    if (!found) return;
    for (const c of found.calls) {
      if (c.kind === 'compose' || c.dir === undefined || !c.configPath || c.configPath.strStart === undefined) continue;
      if (c.configPath.str?.startsWith('pkg://')) continue;
      if (ctx.ws.isDirectory(c.dir)) continue;
      const fileDir = path.posix.dirname(ctx.file);
      const candidates = ['configs', 'conf', 'config']
        .filter((d) => ctx.ws.isDirectory(d))
        .map((d) => path.posix.relative(fileDir === '.' ? '' : fileDir, d) || '.');
      const hint = candidates.length
        ? `; relative to ${ctx.file}, the config folder ${candidates.length > 1 ? 'could be' : 'is'} ${candidates.map((x) => `"${x}"`).join(' or ')}`
        : '';
      const fixes: Fix[] = candidates.map((cand) => ({
        title: `Use config_path="${cand}"`,
        changes: [{ file: ctx.file, edits: [{ range: found.index.rangeOf(c.configPath!.strStart!, c.configPath!.strEnd!), newText: cand }] }],
      }));
      ctx.report({
        message: `config_path "${c.configPath.str}" resolves to ${c.dir || '.'}/ (relative to ${ctx.file}), which does not exist${hint}`,
        range: found.index.rangeOf(c.configPath.start, c.configPath.end),
        fixes,
      });
    }
  },
});

export const configNameNotFound = defineFileRule({
  code: 'HYD002',
  name: 'config-name-not-found',
  severity: 'error',
  title: 'Hydra config_name does not exist',
  doc: {
    what: '`config_name` of `@hydra.main` or `compose` names a config that is not in the config folder.',
    why: 'Hydra fails at start: "Cannot find primary config".',
    example: '@hydra.main(config_path="../configs", config_name="trian", version_base="1.3")\n',
    fix: 'Name an existing `<config_path>/<name>.yaml` (without the extension).',
  },
  appliesTo: (rel) => rel.endsWith('.py'),
  check(ctx) {
    const found = callsIn(ctx);
    if (!found) return;
    const project = hydraProject(ctx);
    if (project.usesConfigStore) return; // the name may be a structured config stored in code
    for (const c of found.calls) {
      const n = c.configName;
      if (!n || n.str === undefined || n.strStart === undefined || c.dir === undefined || !ctx.ws.isDirectory(c.dir)) continue;
      const name = n.str.replace(/\.yaml$/, '');
      const file = c.dir ? `${c.dir}/${name}.yaml` : `${name}.yaml`;
      if (ctx.ws.exists(file)) continue;
      const options = ctx.ws
        .readDir(c.dir)
        .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
        .map((e) => e.name.slice(0, -5))
        .sort();
      const guess = closest(name, options);
      const yml = ctx.ws.exists(file.replace(/\.yaml$/, '.yml')) ? ` (${name}.yml exists, but Hydra only loads .yaml files)` : '';
      ctx.report({
        message: `config_name "${n.str}": ${file} does not exist${yml}${guess ? `; did you mean "${guess}"?` : options.length ? `; configs in ${c.dir || '.'}/: ${options.join(', ')}` : ''}`,
        range: found.index.rangeOf(n.start, n.end),
        fixes: (guess ? [guess] : []).map((g) => ({
          title: `Use config_name="${g}"`,
          changes: [{ file: ctx.file, edits: [{ range: found.index.rangeOf(n.strStart!, n.strEnd!), newText: g }] }],
        })),
      });
    }
  },
});

export const configPathFromCwd = defineFileRule({
  code: 'HYD003',
  name: 'config-path-from-cwd',
  severity: 'warning',
  title: 'Hydra config path built from the working directory',
  doc: {
    what: 'The config path passed to Hydra is built from `os.getcwd()`, `Path.cwd()` or `os.path.abspath("...")`.',
    why: 'The run then only works when started from one folder: from a test runner, a Docker WORKDIR or a DVC stage with `wdir`, the configs are not found. Hydra resolves a relative `config_path` from the Python file, which is stable.',
    example: '@hydra.main(config_path=f"{os.getcwd()}/configs", config_name="config", version_base="1.3")\n',
    fix: 'Use a path relative to the Python file: `config_path="../configs"`.',
  },
  appliesTo: (rel) => rel.endsWith('.py'),
  check(ctx) {
    const found = callsIn(ctx);
    if (!found) return;
    for (const c of found.calls) {
      if (!c.configPath?.fromCwd) continue;
      ctx.report({
        message: `${c.kind === 'main' ? '@hydra.main' : c.kind}: the config path \`${c.configPath.text}\` depends on the working directory; give config_path relative to ${ctx.file} instead`,
        range: found.index.rangeOf(c.configPath.start, c.configPath.end),
      });
    }
  },
});

export const missingVersionBase = defineFileRule({
  code: 'HYD004',
  name: 'missing-version-base',
  severity: 'warning',
  title: '@hydra.main without version_base',
  doc: {
    what: '`@hydra.main(...)` (or `initialize(...)`) is called without `version_base`.',
    why: 'Hydra warns and falls back to 1.1 defaults: the job changes its working directory to the output folder (`hydra.job.chdir=True`), so relative data and model paths silently point elsewhere.',
    example: '@hydra.main(config_path="../configs", config_name="config")\n',
    fix: 'Pin the behaviour: `@hydra.main(config_path="../configs", config_name="config", version_base="1.3")`.',
    references: ['https://hydra.cc/docs/upgrades/version_base/'],
  },
  appliesTo: (rel) => rel.endsWith('.py'),
  check(ctx) {
    const found = callsIn(ctx);
    if (!found) return;
    const text = (ctx.text() as { text: string }).text;
    for (const c of found.calls) {
      if ((c.kind !== 'main' && c.kind !== 'initialize') || c.versionBase || c.call.args.some((a) => a.name === undefined && a.text.startsWith('**'))) continue;
      const closeAt = c.call.end - 1;
      let before = closeAt;
      while (before > 0 && /\s/.test(text[before - 1])) before--;
      const needsComma = c.call.args.length > 0 && text[before - 1] !== ',' && text[before - 1] !== '(';
      const pos = found.index.positionAt(before);
      ctx.report({
        message: `${c.kind === 'main' ? '@hydra.main' : 'initialize'} without version_base: Hydra falls back to 1.1 behaviour (changes the working directory of the job); pass version_base="1.3"`,
        range: found.index.rangeOf(c.call.start, c.call.nameEnd),
        fixes: [
          {
            title: 'Add version_base="1.3"',
            changes: [{ file: ctx.file, edits: [{ range: { start: pos, end: pos }, newText: `${needsComma ? ', ' : ''}version_base="1.3"` }] }],
          },
        ],
      });
    }
  },
});

import * as path from 'node:path';
import { defineFileRule, type FileContext } from '../../rule';
import type { Fix } from '../../types';
import { hydraProject, isYamlPath, type HydraConfigDir, type HydraProject } from '../../hydra/project';
import {
  configFileOf,
  entryGroup,
  groupOf,
  groupOptions,
  isHydraGroup,
  parseConfig,
  providedByHydra,
  type DefaultsEntry,
  type ParsedConfig,
} from '../../hydra/config';
import { closest } from '../../text/suggest';

interface Setup {
  project: HydraProject;
  dir: HydraConfigDir;
  parsed: ParsedConfig;
  group: string;
  name: string;
}

/** The file as a Hydra config with a defaults list, or undefined when it is not one. */
export function hydraConfigSetup(ctx: FileContext): Setup | undefined {
  const project = hydraProject(ctx);
  if (!project.isConfigFile(ctx.file)) return undefined;
  const dir = project.configDirOf(ctx.file)!;
  if (!ctx.yaml()) return undefined; // syntax errors are reported by the engine
  const parsed = parseConfig(ctx.ws, ctx.file);
  if (!parsed) return undefined;
  const inside = dir.dir ? ctx.file.slice(dir.dir.length + 1) : ctx.file;
  return { project, dir, parsed, group: groupOf(dir, ctx.file), name: inside.replace(/\.ya?ml$/, '') };
}

export interface ResolvedTarget {
  entry: DefaultsEntry;
  /** The option (group entries) or config path as written. */
  option: { name: string; range: DefaultsEntry['itemRange'] };
  /** Group path (group entries) or the folder of a config entry. */
  group: string;
  /** The path inside the config dir, without extension, as Hydra names it in messages (`db/xyz`). */
  configPath: string;
  file: string;
  exists: boolean;
}

/** Every option of the defaults list resolved to its file, as Hydra would (relative groups, absolute `/group`). */
export function resolveEntries(ctx: FileContext, s: Setup): ResolvedTarget[] {
  const out: ResolvedTarget[] = [];
  for (const e of s.parsed.defaults) {
    if (e.invalid || e.kind === 'self' || e.value !== 'options') continue;
    for (const opt of e.options) {
      if (e.kind === 'group') {
        const g = entryGroup(e, s.group);
        const configPath = `${g}/${opt.name}`;
        let file = configFileOf(s.dir, configPath);
        let exists = ctx.ws.exists(file);
        if (!exists && !e.absolute && s.group && ctx.ws.exists(configFileOf(s.dir, `${e.group}/${opt.name}`))) {
          file = configFileOf(s.dir, `${e.group}/${opt.name}`);
          exists = true;
        }
        out.push({ entry: e, option: opt, group: g, configPath, file, exists });
      } else {
        const p = e.absolute || !s.group ? e.group : `${s.group}/${e.group}`;
        let file = configFileOf(s.dir, p);
        let exists = ctx.ws.exists(file);
        if (!exists && !e.absolute && s.group && ctx.ws.exists(configFileOf(s.dir, e.group))) {
          file = configFileOf(s.dir, e.group);
          exists = true;
        }
        const g = path.posix.dirname(p) === '.' ? '' : path.posix.dirname(p);
        out.push({ entry: e, option: { name: e.group, range: e.itemRange }, group: g, configPath: p, file, exists });
      }
    }
  }
  return out;
}

const appliesTo = isYamlPath;

export const defaultsOptionNotFound = defineFileRule({
  code: 'HYD005',
  name: 'defaults-option-not-found',
  severity: 'error',
  title: 'Defaults entry names a config that does not exist',
  doc: {
    what: 'An entry of a Hydra defaults list (`group: option`, a list of options, or a config path) resolves to no `.yaml` file in the config folder. Groups are relative to the folder of the config that holds the list, unless written `/group`. `optional` entries, the options of `hydra/...` groups (hydra-core and its plugins provide them), `null` and `???` are not checked; the group `hydra` itself (`- hydra: default`) is the project’s.',
    why: 'Hydra stops before the job starts: "Could not find \'db/xyz\'" with the list of available options.',
    example: '# configs/config.yaml\ndefaults:\n  - model: resnet50   # configs/model/ has resnet18.yaml and vit.yaml\n  - _self_\n',
    fix: 'Pick an existing option (the quick fixes list them), or add `configs/model/resnet50.yaml`.',
    references: ['https://hydra.cc/docs/advanced/defaults_list/'],
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s || s.project.usesConfigStore) return;
    for (const t of resolveEntries(ctx, s)) {
      if (t.exists || t.entry.optional) continue;
      if (t.entry.kind === 'group' ? providedByHydra(t.group, t.option.name) : isHydraGroup(t.configPath)) continue;
      if (t.option.name.includes('${')) continue;
      const options = groupOptions(ctx.ws, s.dir, t.group);
      const wanted = path.posix.basename(t.configPath);
      const guess = closest(wanted, options);
      const yml = ctx.ws.exists(t.file.replace(/\.yaml$/, '.yml')) ? ` (${wanted}.yml exists, but Hydra only loads .yaml files)` : '';
      const groupDir = [s.dir.dir, t.group].filter(Boolean).join('/');
      const list = options.length
        ? `\n\nAvailable options in '${t.group}':\n${options.map((o) => `\t${o}`).join('\n')}`
        : t.group && !ctx.ws.isDirectory(groupDir)
          ? `\n\nThere is no group '${t.group}' (no folder ${groupDir}/).`
          : '';
      // the likeliest option first; none is preferred (a guess is not a safe fix: fix-all and `check --fix` leave it)
      const ordered = guess ? [guess, ...options.filter((o) => o !== guess)] : options;
      const fixes: Fix[] =
        t.entry.kind === 'group'
          ? ordered.map((o) => ({ title: `Use '${o}'`, changes: [{ file: ctx.file, edits: [{ range: t.option.range, newText: o }] }] }))
          : [];
      ctx.report({
        message: `In '${s.name}': Could not find '${t.configPath}'${yml}${guess ? ` (did you mean '${guess}'?)` : ''}${list}`,
        range: t.option.range,
        fixes,
      });
    }
  },
});

export const duplicateSelf = defineFileRule({
  code: 'HYD006',
  name: 'duplicate-self',
  severity: 'error',
  title: 'Duplicate _self_ in a defaults list',
  doc: {
    what: '`_self_` appears more than once in a defaults list.',
    why: 'Hydra refuses the config: "Duplicate _self_ defined in ...".',
    example: 'defaults:\n  - _self_\n  - model: vit\n  - _self_\n',
    fix: "Keep one `_self_`, where the config's own values should be merged (last: they win; first: the defaults win).",
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const selfs = s.parsed.defaults.filter((e) => e.kind === 'self');
    for (const e of selfs.slice(1)) {
      ctx.report({
        message: `Duplicate _self_ defined in ${s.name}: _self_ is already at entry ${selfs[0].index + 1} of the defaults list`,
        range: e.itemRange,
        related: [{ file: ctx.file, range: selfs[0].itemRange, message: 'first _self_' }],
      });
    }
  },
});

export const overrideNotLast = defineFileRule({
  code: 'HYD007',
  name: 'override-not-last',
  severity: 'error',
  title: 'override entry before other defaults',
  doc: {
    what: 'An `override group: option` entry of a defaults list is followed by an entry that is not an override (`_self_` does not count).',
    why: 'Hydra refuses the config: "Overrides must be at the end of the defaults list".',
    example: 'defaults:\n  - override hydra/job_logging: colorlog\n  - model: vit\n',
    fix: 'Move every `override` entry to the end of the defaults list.',
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    const list = s.parsed.defaults;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (!e.override) continue;
      // Hydra skips _self_ in this check (defaults_list.py `_update_overrides`: `if d.is_self(): continue`).
      const after = list.slice(i + 1).find((x) => !x.override && x.kind !== 'self');
      if (!after) break;
      const name = after.kind === 'group' ? `${after.group}: ${after.options.map((o) => o.name).join(', ') || after.value}` : after.group;
      ctx.report({
        message: `Overrides must be at the end of the defaults list: 'override ${e.group}' comes before '${name}' (entry ${after.index + 1})`,
        range: e.keyRange,
        related: [{ file: ctx.file, range: after.itemRange, message: 'entry after the override' }],
      });
    }
  },
});

export const configNotCommitted = defineFileRule({
  code: 'HYD008',
  name: 'config-not-committed',
  severity: 'warning',
  title: 'Defaults entry resolves to a config git does not have',
  doc: {
    what: 'A defaults entry resolves to a config file that exists on your disk but is git-ignored or not committed.',
    why: 'It composes on your machine only: a fresh clone, CI or a teammate gets "Could not find ...".',
    example: '# .gitignore has configs/local/ ; configs/config.yaml has\ndefaults:\n  - local: paths\n',
    fix: 'Commit the config (`git add -f` if it is ignored on purpose, and narrow the ignore rule), or make the entry `optional`.',
  },
  appliesTo,
  check(ctx) {
    const s = hydraConfigSetup(ctx);
    if (!s) return;
    for (const t of resolveEntries(ctx, s)) {
      if (!t.exists || t.entry.optional) continue;
      if (!ctx.ws.has(t.file)) {
        ctx.report({
          message: `'${t.configPath}' resolves to ${t.file}, which exists but is git-ignored: a fresh clone cannot compose this config`,
          range: t.option.range,
        });
      } else if (ctx.ws.isGitRepository && !ctx.ws.isTracked(t.file) && ctx.ws.isTracked(ctx.file)) {
        ctx.report({
          message: `'${t.configPath}' resolves to ${t.file}, which is not committed: a fresh clone cannot compose this config`,
          range: t.option.range,
        });
      }
    }
  },
});

import * as path from 'node:path';
import { isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule, type FileContext } from '../../rule';
import type { Fix } from '../../types';
import { YamlDocument } from '../../text/yamlDocument';
import { hydraProject } from '../../hydra/project';
import { loaderFor, pythonUsage } from '../../yaml/loaders';
import { TomlDocument } from '../../text/tomlDocument';
import { sweepOf } from '../../wandb/sweep';
import { closest } from '../../text/suggest';

const isYaml = (rel: string): boolean => /\.ya?ml$/i.test(rel);

/** Where the agent may find the program: from the repository root (where `wandb agent` usually runs) or next to the sweep. */
function programCandidates(sweepFile: string, program: string): string[] {
  const clean = program.replace(/\\/g, '/').replace(/^\.\//, '');
  const dir = path.posix.dirname(sweepFile);
  const out = [path.posix.normalize(clean)];
  if (dir !== '.') out.push(path.posix.normalize(path.posix.join(dir, clean)));
  return out.filter((c) => !c.startsWith('..'));
}

/**
 * Console scripts of the project (`[project.scripts]`, Poetry's `[tool.poetry.scripts]` in pyproject.toml): name -> the
 * `module:function` entry point. `pip install -e .` puts them on PATH, so `program: train` runs the entry point.
 */
function consoleScripts(ctx: FileContext): Map<string, string> {
  const out = new Map<string, string>();
  const doc = ctx.ws.toml('pyproject.toml');
  if (!(doc instanceof TomlDocument) || !doc.value) return out;
  for (const table of [doc.get(['project', 'scripts']), doc.get(['tool', 'poetry', 'scripts'])]) {
    if (!table || typeof table !== 'object' || Array.isArray(table)) continue;
    for (const [name, v] of Object.entries(table as Record<string, unknown>)) {
      const entry =
        typeof v === 'string'
          ? v
          : v && typeof v === 'object' && typeof (v as { reference?: unknown }).reference === 'string'
            ? (v as { reference: string }).reference
            : undefined;
      if (entry) out.set(name, entry);
    }
  }
  return out;
}

/** The file of a `pkg.module:function` entry point (flat or src layout), when it is in the workspace. */
function entryPointFile(ctx: FileContext, entry: string): string | undefined {
  const mod = entry.split(':')[0].trim().replace(/\./g, '/');
  return [`${mod}.py`, `src/${mod}.py`, `${mod}/__init__.py`, `src/${mod}/__init__.py`].find((c) => ctx.ws.has(c));
}

/**
 * A command that passes `${args}` through a shell that removes the leading dashes itself, e.g.
 * `[bash, -c, 'for a in "$@"; do set -- "$@" "${a#--}"; ...', _, ${args}]` (`${a#--}` strips the prefix `--`), or through
 * `sed 's/^--//'`: the program gets `key=value`, as with `${args_no_hyphens}`.
 */
const STRIP_DASHES = /\$\{\w+##?--\}|\$\{\w+\/#--\/?\}|s\/\^--\/\//;

/**
 * Also a wrapper script the command runs (`[${env}, bash, scripts/agent.sh, ${program}, ${args}]`, with the loop in the
 * script): the agent starts it from the repository root, so a command item that names a shell script of the workspace is
 * read and its text counts as the command's.
 */
function stripsHyphens(ctx: FileContext, items: { text: string }[]): boolean {
  if (!items.some((i) => i.text.includes('${args}'))) return false;
  return items.some((i) => {
    if (STRIP_DASHES.test(i.text)) return true;
    const rel = i.text.replace(/^\.\//, '');
    if (!/\.(?:sh|bash)$/.test(rel) || !ctx.ws.exists(rel)) return false;
    const r = ctx.ws.readText(rel);
    return r.ok && STRIP_DASHES.test(r.text);
  });
}

function commandItems(doc: YamlDocument): { node: Node; items: { node: Node; text: string }[] } | undefined {
  const c = YamlDocument.pair(doc.rootMap, 'command');
  if (!c || !isSeq(c.value)) return undefined;
  return { node: c.value as Node, items: c.value.items.filter(isScalar).map((n) => ({ node: n as Node, text: String(n.value) })) };
}

export const sweepProgramMissing = defineFileRule({
  code: 'WB006',
  name: 'sweep-program-missing',
  severity: 'error',
  title: 'Sweep program missing',
  doc: {
    what: 'A W&B sweep whose `program` does not exist (looked up from the repository root, where `wandb agent` is usually started, and next to the sweep file; a console script of `[project.scripts]` counts), or a sweep with no `program` although its command needs one. A sweep file that a script loads and passes to `wandb.sweep(...)` needs no `program` (the script runs `wandb.agent(id, function=...)`).',
    why: 'Every agent run fails immediately with "No such file": the sweep burns its run budget on crashes.',
    example: '# sweep.yaml\nprogram: train.py      # the script is src/project/train.py\nmethod: random\n',
    fix: 'Point `program` at the training script relative to the directory the agent runs in (usually the repository root).',
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    const pair = YamlDocument.pair(s.doc.rootMap, 'program');
    if (!pair) {
      // a script that creates the sweep with wandb.sweep(dict) runs it with wandb.agent(id, function=...): no program
      if (loaderFor(ctx, ctx.file, s.doc).launcher) return;
      const cmd = commandItems(s.doc);
      const needsProgram = !YamlDocument.pair(s.doc.rootMap, 'command') || !!cmd?.items.some((i) => i.text.includes('${program}'));
      const hasJob = !!YamlDocument.pair(s.doc.rootMap, 'job') || !!YamlDocument.pair(s.doc.rootMap, 'image_uri');
      const method = YamlDocument.pair(s.doc.rootMap, 'method');
      if (needsProgram && !hasJob && method) {
        ctx.report({
          message: 'the sweep has no `program`: the agent does not know which script to run (add `program: path/to/train.py`)',
          range: s.doc.keyRange(method),
        });
      }
      return;
    }
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') return;
    const program = pair.value.value;
    if (/^\$\{|^[a-z]+:\/\//i.test(program) || path.posix.isAbsolute(program)) return;
    const candidates = programCandidates(ctx.file, program);
    if (candidates.some((c) => ctx.ws.exists(c))) return;
    if (consoleScripts(ctx).has(program)) return; // a console script of the project: on PATH once installed
    const base = path.posix.basename(program);
    const same = [...ctx.ws.paths()].filter((p) => path.posix.basename(p) === base && !ctx.settings.isRunArtefact(p));
    const pys = same.length ? same : [...ctx.ws.paths()].filter((p) => p.endsWith('.py') && !ctx.settings.isRunArtefact(p));
    const guess = same.length === 1 ? same[0] : closest(program, pys);
    const range = s.doc.rangeOf(pair.value as Node);
    ctx.report({
      message: `program \`${program}\` does not exist (looked for ${candidates.join(' and ')})${guess ? `; did you mean \`${guess}\`?` : ''}`,
      range,
      ...(guess ? { fixes: [{ title: `Use ${guess}`, changes: [{ file: ctx.file, edits: [{ range, newText: guess }] }] }] } : {}),
    });
  },
});

export const sweepHydraArgs = defineFileRule({
  code: 'WB007',
  name: 'sweep-hydra-args',
  severity: 'warning',
  title: 'Sweep runs a Hydra program without ${args_no_hyphens}',
  doc: {
    what: "The sweep's `program` (a script, or a console script whose entry point is) is a Hydra app (`@hydra.main`), but the sweep has no `command` passing `${args_no_hyphens}`, nor one that strips the dashes of `${args}` itself (a shell `${a#--}`).",
    why: 'By default the agent calls `python train.py --lr=0.01`; Hydra only understands overrides without hyphens (`lr=0.01`) and exits with "unrecognized arguments", so every run of the sweep fails.',
    example: '# sweep.yaml\nprogram: src/train.py   # uses @hydra.main\nmethod: random\nparameters:\n  lr: {values: [0.01, 0.001]}\n',
    fix: 'Add\n```yaml\ncommand:\n  - ${env}\n  - ${interpreter}\n  - ${program}\n  - ${args_no_hyphens}\n```\nThe quick fix does it (or replaces `${args}`).',
    references: ['https://docs.wandb.ai/guides/integrations/hydra/'],
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    const pair = YamlDocument.pair(s.doc.rootMap, 'program');
    if (!pair || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
    const written = pair.value.value;
    const entry = consoleScripts(ctx).get(written);
    const file = programCandidates(ctx.file, written).find((c) => ctx.ws.exists(c));
    const viaScript = !file && !!entry;
    const program = file ?? (entry ? entryPointFile(ctx, entry) : undefined);
    if (!program) return;
    const hydraMain = hydraProject(ctx).calls.some((c) => c.kind === 'main' && c.file === program) || pythonUsage(ctx).hydraMain.has(program);
    if (!hydraMain) return;
    const cmd = commandItems(s.doc);
    if (cmd?.items.some((i) => i.text.includes('${args_no_hyphens}')) || (cmd && stripsHyphens(ctx, cmd.items))) return;
    const fixes: Fix[] = [];
    const argsItem = cmd?.items.find((i) => i.text === '${args}');
    if (argsItem) {
      fixes.push({
        title: 'Replace ${args} with ${args_no_hyphens}',
        preferred: true,
        changes: [{ file: ctx.file, edits: [{ range: s.doc.rangeOf(argsItem.node), newText: '${args_no_hyphens}' }] }],
      });
    } else if (!YamlDocument.pair(s.doc.rootMap, 'command')) {
      const text = s.doc.text;
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const end = s.doc.index.end;
      // a console script is run by itself, not by the interpreter
      const block = ['command:', '  - ${env}', ...(viaScript ? [] : ['  - ${interpreter}']), '  - ${program}', '  - ${args_no_hyphens}'].join(eol) + eol;
      fixes.push({
        title: 'Add a command with ${args_no_hyphens}',
        preferred: true,
        changes: [{ file: ctx.file, edits: [{ range: { start: end, end }, newText: (text.length && !text.endsWith('\n') ? eol : '') + block }] }],
      });
    }
    const commandPair = YamlDocument.pair(s.doc.rootMap, 'command');
    ctx.report({
      message: `program ${viaScript ? `\`${written}\` (console script, ${program})` : `\`${program}\``} is a Hydra app (@hydra.main), but ${commandPair ? 'the command does not pass `${args_no_hyphens}`' : 'the sweep has no `command`'}: the agent's \`--key=value\` arguments make Hydra exit with "unrecognized arguments"`,
      range: commandPair ? s.doc.keyRange(commandPair) : s.doc.rangeOf(pair.value as Node),
      fixes,
    });
  },
});

/** The ways Lightning turns one logged name into several (`on_step` and `on_epoch` both set). */
function nameVariants(name: string): string[] {
  const out = [name];
  const m = /^(.*)_(?:step|epoch)$/.exec(name);
  if (m) out.push(m[1]);
  return out;
}

export const sweepMetricNotLogged = defineFileRule({
  code: 'WB008',
  name: 'sweep-metric-not-logged',
  severity: 'warning',
  title: 'Sweep metric never logged',
  doc: {
    what: 'The sweep\'s `metric.name` does not appear among the names the code logs (`wandb.log({...})` keys, Lightning `self.log("...")`, `run.summary[...]`), nor anywhere else in the code as a string. The rule stays silent when names are built in ways it cannot see (Keras or Hugging Face integrations, logging a variable).',
    why: 'W&B optimises a metric no run reports: bayes search degenerates to random, and early termination never triggers. Usually a renamed metric (`val_acc` vs `val/accuracy`).',
    example: '# sweep.yaml\nmetric:\n  name: val_accuracy\n# train.py\nwandb.log({"val_acc": acc})\n',
    fix: 'Use the exact name the code logs, or log the metric under that name.',
  },
  appliesTo: isYaml,
  check(ctx) {
    const s = sweepOf(ctx);
    if (!s) return;
    const nameNode = s.doc.nodeAt(['metric', 'name']);
    if (!nameNode || !isScalar(nameNode) || typeof nameNode.value !== 'string') return;
    const metric = nameNode.value;
    const usage = pythonUsage(ctx);
    if (!usage.logs || usage.opaqueLogging.length) return; // nothing logged that we can see, or names we cannot see
    const variants = nameVariants(metric);
    if (usage.literals.some((l) => variants.some((v) => l.pattern.test(v)))) return;
    // a name assembled from two literals ("val_" + "acc", prefix="val/")
    const texts = new Set(usage.literals.map((l) => l.text));
    for (const v of variants) for (let i = 1; i < v.length; i++) if (texts.has(v.slice(0, i)) && texts.has(v.slice(i))) return;
    const logged = [...new Set(usage.loggedKeys.map((k) => k.text))];
    const guess = closest(metric, logged);
    ctx.report({
      message: `metric \`${metric}\` is not logged anywhere in the code${
        logged.length
          ? ` (logged: ${logged
              .slice(0, 8)
              .map((k) => `\`${k}\``)
              .join(', ')}${logged.length > 8 ? ', ...' : ''})`
          : ''
      }${guess ? `; did you mean \`${guess}\`?` : ''}`,
      range: s.doc.rangeOf(nameNode),
      ...(guess ? { fixes: [{ title: `Use ${guess}`, changes: [{ file: ctx.file, edits: [{ range: s.doc.rangeOf(nameNode), newText: guess }] }] }] } : {}),
    });
  },
});

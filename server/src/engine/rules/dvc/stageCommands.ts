import { defineFileRule, type FileContext } from '../../rule';
import type { Range } from '../../types';
import type { Workspace } from '../../workspace';
import { dvcPipeline, isDvcYaml, joinRel, type DvcStage } from '../../dvc/pipeline';
import { invocationOf, splitCommands } from '../../dvc/pipeline/command';

/** The range of `needle` inside `range` of the current file, or `range` itself. */
export function narrow(ctx: FileContext, range: Range, needle: string): Range {
  const y = ctx.yaml();
  if (!y || !needle) return range;
  const a = y.index.offsetAt(range.start);
  const b = y.index.offsetAt(range.end);
  const at = y.text.slice(a, b).indexOf(needle);
  return at < 0 ? range : y.index.rangeOf(a + at, a + at + needle.length);
}

/**
 * The file `python -m <module>` runs from `wdir` when the module is one of the project's (its top package a folder or
 * a .py file in `wdir` or `wdir/src`): `<base>.py`, `<base>/__main__.py` or `<base>/__init__.py`, or no file when none
 * exists. Undefined for a module that is not the project's (an installed one).
 */
export function moduleFile(ws: Workspace, wdir: string, module: string): { base: string; file?: string } | undefined {
  const parts = module.split('.');
  if (parts.some((x) => !/^[A-Za-z_]\w*$/.test(x))) return undefined;
  const roots = [wdir, joinRel(wdir, 'src')].filter((r, i, a) => a.indexOf(r) === i);
  const root = roots.find((r) => ws.isDirectory(joinRel(r, parts[0])) || ws.exists(joinRel(r, `${parts[0]}.py`)));
  if (root === undefined) return undefined;
  const base = joinRel(root, parts.join('/'));
  return { base, file: [`${base}.py`, `${base}/__main__.py`, `${base}/__init__.py`].find((f) => ws.exists(f)) };
}

export function* stageCommandsOf(ctx: FileContext): Iterable<{ stage: DvcStage; cmd: string; range: Range }> {
  for (const s of dvcPipeline(ctx).stages) {
    if (s.file !== ctx.file || s.cmdUnresolved) continue;
    for (let i = 0; i < s.cmd.length; i++) yield { stage: s, cmd: s.cmd[i], range: s.cmdRanges[i] ?? s.cmdRange ?? s.nameRange };
  }
}

export const dvcScriptMissing = defineFileRule({
  code: 'DVC006',
  name: 'dvc-script-missing',
  severity: 'error',
  title: 'Stage runs a script that does not exist',
  doc: {
    what: 'A stage’s `cmd` runs a script (`python src/train.py`, `python -m pkg.module`, `bash run.sh`, `Rscript x.R`, `./run.sh`) that does not exist relative to the stage’s working directory (`wdir`, by default the folder of dvc.yaml). `python -m` is checked only when the package is a folder of the project (installed modules are not).',
    why: 'The stage fails as soon as it runs, after DVC has possibly checked out or removed its outputs; a renamed script is the usual cause.',
    example: 'stages:\n  train:\n    cmd: python src/trian.py\n',
    fix: 'Correct the path (`python src/train.py`), or set `wdir` to the folder the command expects.',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const p = dvcPipeline(ctx);
    const done = new Set<string>();
    for (const { stage, cmd, range } of stageCommandsOf(ctx)) {
      for (const words of splitCommands(cmd)) {
        const inv = invocationOf(words);
        if (!inv) continue;
        if (inv.kind === 'script') {
          const rel = joinRel(stage.wdir, inv.path);
          if (rel.startsWith('../') || ctx.ws.exists(rel) || p.producersOf(rel).length || p.dvcFileTracking(rel)) continue;
          const r = narrow(ctx, range, inv.word.raw);
          const k = `${r.start.line}:${r.start.character}:${rel}`;
          if (done.has(k)) continue;
          done.add(k);
          ctx.report({
            message: `stage \`${stage.name}\` runs \`${inv.path}\`, which does not exist${stage.wdir ? ` (relative to ${stage.wdir}/)` : ''}`,
            range: r,
          });
        } else {
          const m = moduleFile(ctx.ws, stage.wdir, inv.module);
          if (!m || m.file) continue; // not a package of this project (an installed module), or it exists
          const base = m.base;
          const r = narrow(ctx, range, inv.word.raw);
          const k = `${r.start.line}:${r.start.character}:${inv.module}`;
          if (done.has(k)) continue;
          done.add(k);
          ctx.report({ message: `stage \`${stage.name}\` runs module \`${inv.module}\`, but neither ${base}.py nor ${base}/__main__.py exists`, range: r });
        }
      }
    }
  },
});

export const dvcStageWithoutDepsOrOuts = defineFileRule({
  code: 'DVC009',
  name: 'dvc-stage-without-deps-or-outs',
  severity: 'warning',
  title: 'Stage with no deps and no outs',
  doc: {
    what: 'A stage that declares neither `deps` nor `outs` (nor `metrics`/`plots`).',
    why: 'DVC cannot tell whether such a stage is up to date, so `dvc repro` runs it every time, and nothing it does is cached or versioned. Usually the deps and outs were forgotten.',
    example: 'stages:\n  train:\n    cmd: python src/train.py\n',
    fix: 'stages:\n  train:\n    cmd: python src/train.py\n    deps: [src/train.py, data/processed]\n    outs: [models/model.pt]\n\n(or `always_changed: true` when running every time is intended)',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const done = new Set<string>();
    for (const s of dvcPipeline(ctx).stages) {
      if (s.file !== ctx.file || s.deps.length || s.outs.length || s.alwaysChanged || s.keys.has('deps') || s.keys.has('outs')) continue;
      if (!s.keys.has('cmd')) continue;
      const k = `${s.nameRange.start.line}`;
      if (done.has(k)) continue;
      done.add(k);
      ctx.report({
        message: `stage \`${s.generated ? s.baseName : s.name}\` has no deps and no outs: DVC re-runs it on every \`dvc repro\` and caches nothing`,
        range: s.nameRange,
      });
    }
  },
});

/** `src\train.py`, `data\raw\x.csv`: a relative path written with backslashes. */
const BACKSLASH_PATH = /^\.{0,2}\\?[\w.-]+(\\[\w.-]+)+\\?$/;

export const dvcCmdWindowsPath = defineFileRule({
  code: 'DVC010',
  name: 'dvc-cmd-windows-path',
  severity: 'warning',
  title: 'Windows path separators in a stage command',
  doc: {
    what: 'A stage’s `cmd` writes a path with backslashes (`python src\\train.py`).',
    why: 'DVC runs `cmd` through the shell: on Linux and macOS (CI, colleagues, the cloud) the backslashes are escapes, `src\\train.py` becomes `srctrain.py`, and the stage fails. Forward slashes work on Windows too.',
    example: 'stages:\n  train:\n    cmd: python src\\train.py --data data\\processed\n',
    fix: 'stages:\n  train:\n    cmd: python src/train.py --data data/processed\n',
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const done = new Set<string>();
    for (const { stage, cmd, range } of stageCommandsOf(ctx)) {
      for (const words of splitCommands(cmd)) {
        for (const w of words) {
          if (w.dynamic || (w.quoted && !w.raw.includes('\\'))) continue;
          const text = w.quoted ? w.text : w.raw;
          if (!BACKSLASH_PATH.test(text)) continue;
          const posix = text.replace(/\\/g, '/').replace(/^\.\//, '');
          const rel = joinRel(stage.wdir, posix);
          if (!/\.\w{1,5}$/.test(text) && !ctx.ws.exists(rel)) continue;
          const r = narrow(ctx, range, text);
          const k = `${r.start.line}:${r.start.character}`;
          if (done.has(k)) continue;
          done.add(k);
          ctx.report({
            message: `stage \`${stage.name}\` writes \`${text}\` with backslashes; the shell on Linux/macOS reads them as escapes: use \`${text.replace(/\\/g, '/')}\``,
            range: r,
          });
        }
      }
    }
  },
});

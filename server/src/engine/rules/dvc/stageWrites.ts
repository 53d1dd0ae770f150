import * as posix from 'node:path/posix';
import { defineFileRule } from '../../rule';
import { isDvcYaml, joinRel } from '../../dvc/pipeline';
import { invocationOf, splitCommands } from '../../dvc/pipeline/command';
import { scanWrites, type PyWrite } from '../../python/writes';
import { moduleFile, stageCommandsOf } from './stageCommands';

const MAX_PY_BYTES = 1_000_000;
const scans = new Map<string, { text: string; writes: PyWrite[] }>();

/** The literal writes of a script, cached by its text. */
function writesOf(rel: string, text: string): PyWrite[] {
  const hit = scans.get(rel);
  if (hit && hit.text === text) return hit.writes;
  const writes = scanWrites(text);
  if (scans.size > 500) scans.clear();
  scans.set(rel, { text, writes });
  return writes;
}

export const stageWritesUndeclaredOutput = defineFileRule({
  code: 'DVC014',
  name: 'stage-writes-undeclared-output',
  severity: 'info',
  title: 'Stage script writes a file the stage does not declare',
  doc: {
    what: 'A stage’s `cmd` runs a Python script of the project (`python src/train.py`, `python -m pkg.train`) that writes a literal path (`df.to_csv("data/processed/x.csv")`, `torch.save(model, "models/m.pt")`, `open("x", "w")`, `np.save`, `joblib.dump`, `plt.savefig`, `Path("x").write_text`) (a string, or joined from strings only: `os.path.join("models", "m.pt")`, `Path("reports") / "roc.png"`) which is not among the stage’s `outs`, `metrics` or `plots`, nor inside a declared out folder. Paths are read relative to the stage’s `wdir`; paths built from variables or f-strings, and reads, are not judged. The whole script is read: a write in a branch this stage never takes (another subcommand of the same script) is reported too.',
    why: 'DVC only caches, versions and restores what a stage declares: an undeclared output is not pushed, `dvc checkout` does not bring it back, a stage that reads it does not re-run when it changes, and `dvc repro` on a fresh clone leaves it missing or stale. Only the script the command runs is read, not the modules it imports.',
    example:
      '# dvc.yaml\nstages:\n  train:\n    cmd: python src/train.py\n    outs: [models/model.pt]\n# src/train.py\njoblib.dump(scaler, "models/scaler.joblib")\n',
    fix: 'Declare the file (or its folder) under the stage’s `outs` (`metrics`/`plots` for metrics and figures, with `cache: false` to keep small files in git), or stop writing it. When the write belongs to another command of the script, suppress the finding on the stage (`# mlops-hygiene: ignore[DVC014]`).',
    references: ['https://dvc.org/doc/user-guide/project-structure/dvcyaml-files#stage-entries'],
  },
  appliesTo: isDvcYaml,
  check(ctx) {
    const done = new Set<string>();
    for (const { stage, cmd, range } of stageCommandsOf(ctx)) {
      if (stage.outs.some((o) => o.unresolved)) continue; // what it declares is not known
      const declared = stage.outs.filter((o) => !o.external).map((o) => o.rel);
      for (const words of splitCommands(cmd)) {
        const inv = invocationOf(words);
        if (!inv) continue;
        let script: string | undefined;
        if (inv.kind === 'script') script = inv.path.endsWith('.py') ? joinRel(stage.wdir, inv.path) : undefined;
        else script = moduleFile(ctx.ws, stage.wdir, inv.module)?.file;
        if (!script || script.startsWith('../') || ctx.settings.isRunArtefact(script)) continue;
        const st = ctx.ws.stat(script);
        if (!st || st.isDirectory || st.size > MAX_PY_BYTES) continue;
        const r = ctx.ws.readText(script);
        if (!r.ok) continue;
        for (const w of writesOf(script, r.text)) {
          const p = w.path.replace(/\\/g, '/');
          if (posix.isAbsolute(p) || /^[A-Za-z]:\//.test(p) || p.startsWith('~')) continue;
          const rel = joinRel(stage.wdir, p);
          if (!rel || rel === '..' || rel.startsWith('../')) continue;
          if (declared.some((d) => rel === d || rel.startsWith(d + '/') || d === '')) continue;
          const key = `${range.start.line}:${range.start.character}:${rel}`;
          if (done.has(key)) continue;
          done.add(key);
          const name = stage.generated ? stage.baseName : stage.name;
          ctx.report({
            message: `stage \`${name}\` runs ${script}, which writes \`${w.path}\` (line ${w.line + 1}, ${w.call}), but the stage does not declare ${rel === w.path ? 'it' : `${rel}`} in outs, metrics or plots: DVC neither caches nor restores it`,
            range,
          });
        }
      }
    }
  },
});

import { defineRepoRule } from '../../rule';
import { appendToGitignore } from '../../fixes';
import { formatBytes } from '../../workspace';
import { isModelFile } from '../../../../../shared/artefacts';
import { ignoreEntryFor } from './artefacts';

/** Trained model files in git bloat every clone forever; they belong in DVC or an artifact store. */
export const modelFileTracked = defineRepoRule({
  code: 'GIT001',
  name: 'model-file-tracked',
  severity: 'warning',
  title: 'Model file tracked by git',
  doc: {
    what: 'A model or checkpoint file (`.pt`, `.pth`, `.ckpt`, `.onnx`, `.pkl`, `.h5`, `.joblib`, `.safetensors`, ...) is committed to git.',
    why: 'Git keeps every version of a binary forever: clones get slow, GitHub warns above 50 MB and rejects files above 100 MB. Models are versioned with DVC or as W&B/MLflow artifacts, with git holding only a small pointer.',
    example: '$ git ls-files models/\nmodels/model.pth\n',
    fix: '`git rm --cached models/model.pth`, then `dvc add models/model.pth` (which ignores it) and commit the `.dvc` file; or ignore `/models/` and log the model as an artifact.',
    references: ['https://dvc.org/doc/start/data-management/data-versioning'],
  },
  check(ctx) {
    for (const rel of ctx.ws.tracked()) {
      if (!isModelFile(rel) || ctx.settings.isRunArtefact(rel)) continue;
      const size = ctx.ws.stat(rel)?.size;
      ctx.report({
        file: rel,
        message: `${rel} is a model file tracked by git${size !== undefined ? ` (${formatBytes(size)})` : ''}; version it with DVC or an artifact store instead`,
      });
    }
  },
});

export const modelFileNotIgnored = defineRepoRule({
  code: 'GIT002',
  name: 'model-file-not-ignored',
  severity: 'warning',
  title: 'Model file not ignored',
  doc: {
    what: 'A model or checkpoint file is in the working tree, not committed yet, and not ignored by `.gitignore`.',
    why: 'The next `git add .` commits it. Once committed, it stays in the history even after deletion.',
    example: '# models/model.pt exists and .gitignore does not mention it\n',
    fix: 'Add the models folder (or the file) to `.gitignore`, and version the model with DVC (`dvc add models/model.pt`) or as an artifact.',
  },
  check(ctx) {
    const byEntry = new Map<string, string[]>();
    for (const [rel, entry] of ctx.ws.entries()) {
      if (entry.tracked || !isModelFile(rel) || ctx.settings.isRunArtefact(rel)) continue;
      const e = ignoreEntryFor(rel);
      byEntry.set(e, [...(byEntry.get(e) ?? []), rel]);
    }
    for (const [entry, files] of byEntry) {
      const fix = appendToGitignore(ctx.ws, [entry]);
      for (const rel of files) {
        ctx.report({ file: rel, message: `${rel} is a model file that git does not ignore; add '${entry}' to .gitignore`, fixes: fix ? [fix] : [] });
      }
    }
  },
});

import type { ContextBase } from '../rule';
import { hydraProject } from './project';

/**
 * Texts where Hydra overrides are given to a job: dvc.yaml commands, CI workflows, shell scripts, Makefile, tasks.py,
 * W&B sweep configs, and the Python files that compose configs (their `overrides=[...]`). Memoised for one pass.
 */
export function overrideTexts(ctx: ContextBase): string[] {
  return ctx.memo('hydra.overrideTexts', () => {
    const out: string[] = [];
    const project = hydraProject(ctx);
    for (const rel of ctx.ws.paths()) {
      if (ctx.settings.isRunArtefact(rel)) continue;
      const wanted =
        /(^|\/)dvc\.yaml$/.test(rel) ||
        /^\.github\/workflows\/.+\.ya?ml$/.test(rel) ||
        /\.(sh|bash|mk|toml|cfg)$/.test(rel) ||
        /(^|\/)(Makefile|tasks\.py|Dockerfile|[^/]*\.dockerfile|MLproject|README\.md)$/.test(rel) ||
        /sweep[^/]*\.ya?ml$/i.test(rel) ||
        project.pythonFiles.includes(rel);
      if (!wanted) continue;
      const r = ctx.ws.readText(rel);
      if (r.ok) out.push(r.text);
    }
    return out;
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether some text sets `key` (`key=`, `+key=`, `++key=`, or a sweep parameter named `key:`). */
export function isSupplied(texts: string[], key: string): boolean {
  const re = new RegExp(`(^|[\\s'"\\[,])\\+{0,2}${escape(key)}=|^\\s+["']?${escape(key)}["']?:\\s*\\n\\s+(values|value|min|max|distribution):`, 'm');
  return texts.some((t) => re.test(t));
}

import * as path from 'node:path';
import type { ContextBase } from '../rule';
import type { Workspace } from '../workspace';
import { isModuleName } from '../python/identifiers';

/** The project's own Python modules: dotted name -> file, from the listing (`src/` layout and flat layout). */
export interface ModuleIndex {
  modules: Map<string, string>;
  /** First segments of the project's modules (`proj`, `src`, `train`). */
  tops: Set<string>;
}

export function moduleIndex(ctx: ContextBase): ModuleIndex {
  return ctx.memo('python.modules', () => buildModuleIndex(ctx.ws, (rel) => ctx.settings.isRunArtefact(rel)));
}

export function buildModuleIndex(ws: Workspace, skip: (rel: string) => boolean = () => false): ModuleIndex {
  const modules = new Map<string, string>();
  for (const rel of ws.paths()) {
    if (!rel.endsWith('.py') || skip(rel)) continue;
    const parts = rel.slice(0, -3).split('/');
    if (parts.some((p) => !isModuleName(p))) continue;
    if (parts[parts.length - 1] === '__init__') parts.pop();
    if (!parts.length) continue;
    const add = (name: string[]): void => {
      if (name.length && !modules.has(name.join('.'))) modules.set(name.join('.'), rel);
    };
    add(parts);
    if (parts[0] === 'src') add(parts.slice(1));
  }
  return { modules, tops: new Set([...modules.keys()].map((m) => m.split('.')[0])) };
}

/** Whether a module's source defines (or imports) `name` at its top level. */
export function definesName(source: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^(?:async\\s+)?(?:def|class)\\s+${n}\\b`, 'm').test(source)) return true;
  if (new RegExp(`^${n}\\s*(?::[^=\\n]*)?=`, 'm').test(source)) return true;
  // imported (re-exported): from x import a, name / import x as name / from x import y as name
  if (new RegExp(`^\\s*(?:from\\s+\\S+\\s+)?import\\s+[^\\n]*\\b${n}\\b`, 'm').test(source)) return true;
  if (new RegExp(`^\\s*from\\s+\\S+\\s+import\\s*\\([^)]*\\b${n}\\b[^)]*\\)`, 'm').test(source)) return true;
  if (/^\s*from\s+\S+\s+import\s+\*/m.test(source) || new RegExp(`__all__[^\\n]*['"]${n}['"]`).test(source)) return true;
  if (/^def __getattr__\s*\(/m.test(source)) return true;
  return false;
}

export function moduleFileLabel(rel: string): string {
  return path.posix.basename(rel) === '__init__.py' ? rel : rel;
}

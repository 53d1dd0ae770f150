import { isScalar } from 'yaml';
import { YamlDocument } from '../text/yamlDocument';
import { LINE_BREAK } from '../text/textIndex';
import type { Workspace } from '../workspace';
import { normaliseName, parseRequirementsText, type DeclaredDependency } from './dependencies';

/** Names in a conda environment file: `dependencies` entries (`numpy=1.26`) and its `pip:` list. */
export function condaDependencies(ws: Workspace, file: string): DeclaredDependency[] {
  const r = ws.readText(file);
  if (!r.ok) return [];
  const out: DeclaredDependency[] = [];
  r.text.split(LINE_BREAK).forEach((line, i) => {
    const m = /^\s*-\s+(?:[A-Za-z0-9_-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*([=<>!~].*)?$/.exec(line.replace(/\s#.*$/, ''));
    if (m && m[1] !== 'pip' && m[1] !== 'python')
      out.push({ name: normaliseName(m[1]), raw: line.trim().slice(2), file, line: i, group: 'main', specifier: (m[2] ?? '').trim() });
  });
  return out;
}

/**
 * MLflow's python_env.yaml: `dependencies` (and `build_dependencies`) are pip requirement lines, `-r requirements.txt`
 * included (the MLflow Projects documentation, "python_env.yaml").
 */
export function mlflowEnvDependencies(ws: Workspace, file: string): DeclaredDependency[] {
  const doc = ws.yaml(file);
  if (!(doc instanceof YamlDocument) || !doc.rootMap) return [];
  const out: DeclaredDependency[] = [];
  for (const key of ['dependencies', 'build_dependencies']) {
    const seq = YamlDocument.pair(doc.rootMap, key)?.value as { items?: unknown[] } | undefined;
    for (const item of seq?.items ?? []) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const line = doc.rangeOf(item).start.line;
      for (const l of parseRequirementsText(item.value)) {
        if (l.name && (l.kind === 'requirement' || l.kind === 'direct')) {
          out.push({
            name: l.name,
            raw: l.text,
            file,
            line,
            group: key === 'dependencies' ? 'main' : 'build',
            range: doc.rangeOf(item),
            specifier: l.req?.specifier ?? '',
            direct: l.kind === 'direct',
          });
        }
      }
    }
  }
  return out;
}

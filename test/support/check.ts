import { ALL_RULES, Engine, Workspace, type Finding, type SettingsInput } from '../../server/src/engine';

/** Runs the whole engine on a folder the way the CLI does, and returns its findings. */
export async function checkFolder(root: string, settings: SettingsInput = {}, useGit = true): Promise<Finding[]> {
  const ws = await Workspace.load(root, { useGit });
  return new Engine(ws, ALL_RULES, [settings]).checkAll();
}

/** The findings of one code, as `file:line` strings (1-based lines) for readable assertions. */
export function where(findings: Finding[], code: string): string[] {
  return findings.filter((f) => f.code === code).map((f) => `${f.file}:${f.range.start.line + 1}`);
}

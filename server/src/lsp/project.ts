import * as path from 'node:path';
import { ALL_RULES, Engine, Workspace, type SettingsInput } from '../engine';

/** One workspace folder: its workspace model and its engine. */
export class Project {
  private constructor(
    readonly root: string,
    readonly ws: Workspace,
    readonly engine: Engine,
  ) {}

  static async open(root: string, options: { trusted: boolean; settings: SettingsInput }): Promise<Project> {
    const ws = await Workspace.load(root, { useGit: options.trusted });
    const engine = new Engine(ws, ALL_RULES, [options.settings]);
    return new Project(path.resolve(root), ws, engine);
  }

  /** The workspace-relative path of an absolute path inside this folder, or undefined. */
  relOf(abs: string): string | undefined {
    const rel = path.relative(this.root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
}

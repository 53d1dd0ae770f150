import * as vscode from 'vscode';
import { openSetting } from '../openSetting';
import { DvcLocateRequest, type DvcCommand } from '../../../shared/protocol';
import type { VersioningDeps } from './commands';

interface PythonApi {
  environments?: { getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: string } | undefined };
  settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined };
}

/** The interpreter selected in the Python extension, when it is installed (its API has changed over time: try both). */
async function selectedPython(folder: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const p = api?.environments?.getActiveEnvironmentPath?.(folder)?.path ?? api?.settings?.getExecutionDetails?.(folder)?.execCommand?.[0];
    return p && p !== 'python' ? p : p;
  } catch {
    return undefined;
  }
}

function locate(deps: Pick<VersioningDeps, 'request'>, where: { dvcPath?: string; pythonPath?: string }) {
  return deps.request(DvcLocateRequest, where);
}

/**
 * The dvc CLI for a folder: the `mlopsHygiene.dvcPath` setting, the selected Python interpreter (`<python> -m dvc`), or
 * `dvc` on PATH, as the server finds it (it runs dvc). Undefined (after telling the user how to install it) when none
 * works: the caller then changes nothing.
 */
export async function dvcFor(deps: Pick<VersioningDeps, 'output' | 'request'>, folder: vscode.Uri, quiet = false): Promise<DvcCommand | undefined> {
  const output = deps.output;
  const dvcPath = vscode.workspace.getConfiguration('mlopsHygiene', folder).get<string>('dvcPath') || undefined;
  const pythonPath = await selectedPython(folder);
  let found: Awaited<ReturnType<typeof locate>>;
  try {
    found = await locate(deps, { dvcPath, pythonPath });
  } catch (e) {
    output.error(`Looking for dvc failed: ${(e as Error).message}`);
    if (!quiet) void vscode.window.showErrorMessage(`MLOps Hygiene: ${(e as Error).message}`);
    return undefined;
  }
  const { dvc, installHint } = found;
  if (dvc) {
    output.info(`dvc ${dvc.version} found via ${dvc.via}`);
    return dvc;
  }
  const tried = [dvcPath && `mlopsHygiene.dvcPath (${dvcPath})`, pythonPath && `${pythonPath} -m dvc`, '`dvc` on PATH'].filter(Boolean).join(', ');
  output.warn(`dvc not found (tried ${tried})`);
  if (!quiet) {
    const pick = await vscode.window.showErrorMessage(
      `MLOps Hygiene: the DVC CLI was not found (tried ${tried}). Nothing was changed. ${installHint ?? ''}`,
      'Copy `pip install dvc`',
      'Open Settings',
    );
    if (pick === 'Copy `pip install dvc`') await vscode.env.clipboard.writeText('pip install dvc');
    if (pick === 'Open Settings') await openSetting('mlopsHygiene.dvcPath');
  }
  return undefined;
}

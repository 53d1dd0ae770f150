import type * as lsp from 'vscode-languageserver';
import { findTrackingHints } from '../engine/runs/sources/hints';
import { RunsTrackingHintsRequest, type RunsTrackingHint } from '../../../shared/protocol';
import type { Project } from './project';

/** `mlopsHygiene/runs/trackingHints`: where the open folders' code logs runs, read through each project's workspace. */
export function registerTrackingHints(connection: lsp.Connection, host: { projects(): Project[]; ready(): Promise<void> }): void {
  connection.onRequest(RunsTrackingHintsRequest, async () => {
    await host.ready();
    const hints: RunsTrackingHint[] = [];
    for (const p of host.projects()) for (const h of findTrackingHints(p.ws)) hints.push({ ...h, workspaceFolder: p.root });
    return { hints };
  });
}

import type { ContextBase, FileContext } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { isWorkflowFile, readWorkflow, type Workflow } from '../../gha/workflow';

/** The checked workflow, read once per pass. */
export function workflowOf(ctx: FileContext): Workflow | undefined {
  const doc = ctx.yaml();
  if (!doc) return undefined;
  return ctx.memo(`gha:${ctx.file}`, () => readWorkflow(doc));
}

/** Every workflow of the repository (for repository rules and other families), with its file. */
export function allWorkflows(ctx: ContextBase): { file: string; wf: Workflow }[] {
  return ctx.memo('gha:all', () => {
    const out: { file: string; wf: Workflow }[] = [];
    for (const rel of [...ctx.ws.paths()].filter(isWorkflowFile).sort()) {
      const doc = ctx.ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || doc.hasErrors) continue;
      const wf = readWorkflow(doc);
      if (wf) out.push({ file: rel, wf });
    }
    return out;
  });
}

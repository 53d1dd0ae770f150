import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { isWorkflowFile, workflowOf } from '../../gha/workflow';
import { filterIncludes } from '../../gha/filterPattern';

/** Triggers that run without a branch filter matching (schedules, releases, other workflows...). */
const AUTOMATIC = new Set([
  'schedule',
  'release',
  'workflow_run',
  'workflow_call',
  'repository_dispatch',
  'merge_group',
  'deployment',
  'issues',
  'issue_comment',
  'pull_request_review',
  'registry_package',
  'page_build',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'fork',
  'gollum',
  'label',
  'milestone',
  'public',
  'status',
  'watch',
  'discussion',
  'discussion_comment',
  'project',
  'project_card',
  'project_column',
  'pull_request_review_comment',
  'branch_protection_rule',
]);

/** The course template pushes `master` while its workflows trigger on `main`: CI never runs and nobody notices. */
export const workflowBranchNotDefault = defineFileRule({
  code: 'GHA009',
  name: 'workflow-branch-not-default',
  severity: 'warning',
  title: 'Workflow triggers only on a branch the repository does not use',
  doc: {
    what: "Every `push`/`pull_request` trigger of a workflow is limited (`branches:`, or `branches-ignore:`) so that the repository's default branch (origin's HEAD, else the current branch) does not run it, and the workflow has no other automatic trigger. Patterns are read with GitHub's filter syntax (`*`, `**`, `?` and `+` after a character, `[]`, `\\` escapes, `!` negation where the last matching pattern decides). Read from git; skipped in untrusted workspaces and without git.",
    why: 'The workflow never runs: pushes go to `master` while CI waits for `main`. The repository looks tested and is not.',
    example: "# the repository's branch is master\non:\n  push:\n    branches: [main]\n",
    fix: 'List the branch you push to (`branches: [master]`, or both), or rename the branch (`git branch -m master main`).',
    references: ['https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onpushbranchestagsbranches-ignoretags-ignore'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    if (!ctx.ws.options.useGit) return;
    const wf = workflowOf(ctx);
    if (!wf?.on) return;
    const on = wf.on;
    if (isScalar(on) || isSeq(on)) return; // `on: push` / `on: [push, pull_request]`: every branch
    if (!isMap(on)) return;
    const filters: { event: string; node: Node; patterns: string[]; ignore: boolean }[] = [];
    const listOf = (n: unknown): string[] => (isSeq(n) ? n.items.map((i) => (isScalar(i) ? String(i.value) : '')) : isScalar(n) ? [String(n.value)] : []);
    for (const p of on.items) {
      const event = isScalar(p.key) ? String(p.key.value) : '';
      if (AUTOMATIC.has(event)) return;
      if (event !== 'push' && event !== 'pull_request' && event !== 'pull_request_target') continue;
      const cfg = p.value;
      const branches = YamlDocument.pair(cfg, 'branches');
      const ignoreB = YamlDocument.pair(cfg, 'branches-ignore');
      if (branches) filters.push({ event, node: branches.value as Node, patterns: listOf(branches.value), ignore: false });
      else if (ignoreB) filters.push({ event, node: ignoreB.value as Node, patterns: listOf(ignoreB.value), ignore: true });
      else if (!YamlDocument.pair(cfg, 'tags')) return; // runs on every branch
      // tags only: no branch push runs it
    }
    if (!filters.length) return;
    const branch = ctx.ws.defaultBranch; // asked of git only now, for a workflow limited to branches
    if (!branch) return;
    for (const f of filters) {
      if (f.patterns.some((pat) => /\$\{\{/.test(pat))) return; // an expression: cannot tell
      // GitHub's filter syntax, in order, the last match deciding (gha/filterPattern.ts)
      if (filterIncludes(f.patterns, branch) !== f.ignore) return;
    }
    const f = filters[0];
    ctx.report({
      message: `${filters.map((x) => x.event).join(' and ')} trigger${filters.length > 1 ? '' : 's'} ${filters.every((x) => x.ignore) ? 'on every branch except' : 'only on'} ${[...new Set(filters.flatMap((x) => x.patterns))].join(', ')}, but the repository's branch is '${branch}': this workflow never runs on it`,
      range: wf.doc.rangeOf(f.node),
    });
  },
});

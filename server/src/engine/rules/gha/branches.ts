import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { isWorkflowFile } from '../../gha/workflow';
import { workflowOf } from './shared';

/** GitHub's branch filter patterns: `*` within a segment, `**` across, `?`, and `!` negation handled by the caller. */
function branchMatches(pattern: string, branch: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(branch);
}

/** Triggers that run without a branch filter matching (schedules, releases, other workflows...). */
const AUTOMATIC = new Set(['schedule', 'release', 'workflow_run', 'workflow_call', 'repository_dispatch', 'merge_group', 'deployment', 'issues', 'issue_comment', 'pull_request_review', 'registry_package', 'page_build', 'check_run', 'check_suite', 'create', 'delete', 'fork', 'gollum', 'label', 'milestone', 'public', 'status', 'watch', 'discussion', 'discussion_comment', 'project', 'project_card', 'project_column', 'pull_request_review_comment', 'branch_protection_rule']);

/** The course template pushes `master` while its workflows trigger on `main`: CI never runs and nobody notices. */
export const branchNotDefault = defineFileRule({
  code: 'GHA009',
  name: 'workflow-branch-not-default',
  severity: 'warning',
  title: 'Workflow triggers only on a branch the repository does not use',
  doc: {
    what: 'Every `push`/`pull_request` trigger of a workflow is limited (`branches:`) to branches that do not match the repository\'s default branch (origin\'s HEAD, else the current branch), and the workflow has no other automatic trigger. Read from git; skipped in untrusted workspaces and without git.',
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
    const filters: { event: string; node: Node; patterns: string[] }[] = [];
    for (const p of on.items) {
      const event = isScalar(p.key) ? String(p.key.value) : '';
      if (AUTOMATIC.has(event)) return;
      if (event !== 'push' && event !== 'pull_request' && event !== 'pull_request_target') continue;
      const cfg = p.value;
      const branches = YamlDocument.pair(cfg, 'branches');
      const ignoreB = YamlDocument.pair(cfg, 'branches-ignore');
      if (!branches) {
        if (ignoreB || !YamlDocument.pair(cfg, 'tags')) return; // runs on (almost) every branch
        continue; // tags only
      }
      const list = isSeq(branches.value) ? branches.value.items.map((i) => (isScalar(i) ? String(i.value) : '')) : isScalar(branches.value) ? [String(branches.value.value)] : [];
      filters.push({ event, node: branches.value as Node, patterns: list });
    }
    if (!filters.length) return;
    const branch = ctx.ws.defaultBranch; // asked of git only now, for a workflow limited to branches
    if (!branch) return;
    for (const f of filters) {
      let hit = false;
      for (const pat of f.patterns) {
        if (pat.startsWith('!')) {
          if (branchMatches(pat.slice(1), branch)) hit = false;
        } else if (branchMatches(pat, branch) || /\$\{\{/.test(pat)) hit = true;
      }
      if (hit) return;
    }
    const f = filters[0];
    ctx.report({
      message: `${filters.map((x) => x.event).join(' and ')} trigger${filters.length > 1 ? '' : 's'} only on ${[...new Set(filters.flatMap((x) => x.patterns))].join(', ')}, but the repository's branch is '${branch}': this workflow never runs on it`,
      range: wf.doc.rangeOf(f.node),
    });
  },
});

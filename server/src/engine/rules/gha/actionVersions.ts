/**
 * The oldest major version of common actions that runs on the runtime GitHub's runners still support, as DATA, dated.
 *
 * The runtime cut-off (checked 2026-12-03): GitHub deprecated Node 20 on its runners (changelog 2025-09-19,
 * https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/). The runner's own warning
 * says "Actions will be forced to run with Node.js 24 by default starting June 2nd, 2026. Node.js 20 will be removed
 * from the runner on September 16th, 2026." So an action whose `action.yml` says `runs.using: node20` (or node12/16)
 * is outdated now; a major that says `node24`, `composite` or `docker` is current.
 *
 * `runs` is each major tag's `runs.using`, read from the action's own repository at that tag (`git show vN:action.yml`,
 * the moving major tags as of 2026-12-03; release notes agree, e.g. checkout v5.0.0 "Update actions checkout to use node
 * 24"). `min` is the first major on `node24` or `composite` (codecov-action v5 is a composite action). Update
 * ACTION_TABLE_CHECKED and the entry when an action moves again.
 */
export const ACTION_TABLE_CHECKED = '2026-12-03';
export const NODE_RUNTIME_SOURCE = 'https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/';

export interface ActionMinimum {
  /** The first major that runs on a supported runtime: what the quick fix bumps to. */
  min: number;
  /** `runs.using` of each major tag. */
  runs: Record<number, string>;
  /** A reason besides the runtime (a service GitHub shut down), if any. */
  also?: string;
}

export const ACTION_MIN_MAJOR: Record<string, ActionMinimum> = {
  'actions/checkout': { min: 5, runs: { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24' } },
  'actions/setup-python': { min: 6, runs: { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node16', 5: 'node20', 6: 'node24' } },
  'actions/cache': {
    min: 5,
    runs: { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24' },
    also: 'v1-v3 also used the legacy cache service, which GitHub shut down in 2025',
  },
  'actions/upload-artifact': {
    min: 6,
    runs: { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node24' },
    also: 'v1-v3 stopped working when GitHub retired artifact actions v3 (January 2025)',
  },
  'actions/download-artifact': {
    min: 7,
    runs: { 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node20', 7: 'node24' },
    also: 'v1-v3 stopped working when GitHub retired artifact actions v3 (January 2025)',
  },
  'actions/setup-node': { min: 5, runs: { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node20', 5: 'node24' } },
  'actions/github-script': { min: 8, runs: { 1: 'node12', 2: 'node12', 3: 'node12', 4: 'node12', 5: 'node12', 6: 'node16', 7: 'node20', 8: 'node24' } },
  'docker/login-action': { min: 4, runs: { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node24' } },
  'docker/build-push-action': { min: 7, runs: { 2: 'node12', 3: 'node16', 4: 'node16', 5: 'node20', 6: 'node20', 7: 'node24' } },
  'docker/setup-buildx-action': { min: 4, runs: { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node24' } },
  'docker/setup-qemu-action': { min: 4, runs: { 1: 'node12', 2: 'node16', 3: 'node20', 4: 'node24' } },
  'docker/metadata-action': { min: 6, runs: { 1: 'node12', 2: 'node12', 3: 'node12', 4: 'node16', 5: 'node20', 6: 'node24' } },
  'google-github-actions/auth': { min: 3, runs: { 0: 'node16', 1: 'node16', 2: 'node20', 3: 'node24' } },
  'google-github-actions/setup-gcloud': { min: 3, runs: { 0: 'node16', 1: 'node16', 2: 'node20', 3: 'node24' } },
  'google-github-actions/deploy-cloudrun': { min: 3, runs: { 0: 'node16', 1: 'node16', 2: 'node20', 3: 'node24' } },
  'aws-actions/configure-aws-credentials': { min: 6, runs: { 1: 'node12', 2: 'node16', 3: 'node16', 4: 'node20', 5: 'node20', 6: 'node24' } },
  'codecov/codecov-action': { min: 5, runs: { 1: 'node12', 2: 'node12', 3: 'node16', 4: 'node20', 5: 'composite' } },
  'astral-sh/setup-uv': { min: 7, runs: { 1: 'node20', 2: 'node20', 3: 'node20', 4: 'node20', 5: 'node20', 6: 'node20', 7: 'node24' } },
};

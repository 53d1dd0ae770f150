/**
 * The oldest major version of common actions that still works and runs on a supported runtime, with the reason older
 * ones are outdated. Anything below `min` is reported; the fix bumps to `min` (the smallest change that works).
 */
export const ACTION_MIN_MAJOR: Record<string, { min: number; reason: string }> = {
  'actions/checkout': { min: 4, reason: 'v1-v3 run on Node 12/16, which GitHub runners no longer support' },
  'actions/setup-python': { min: 5, reason: 'v1-v4 run on Node 12/16, which GitHub runners no longer support' },
  'actions/cache': { min: 4, reason: 'v1-v3 use the legacy cache service, shut down in 2025; v3 also runs on Node 16' },
  'actions/upload-artifact': { min: 4, reason: 'v1-v3 stopped working when GitHub retired artifact actions v3 (January 2025)' },
  'actions/download-artifact': { min: 4, reason: 'v1-v3 stopped working when GitHub retired artifact actions v3 (January 2025)' },
  'actions/setup-node': { min: 4, reason: 'v1-v3 run on Node 12/16, which GitHub runners no longer support' },
  'actions/github-script': { min: 7, reason: 'v1-v6 run on Node 12/16' },
  'docker/login-action': { min: 3, reason: 'v1-v2 run on Node 16' },
  'docker/build-push-action': { min: 5, reason: 'v1-v4 run on Node 12/16' },
  'docker/setup-buildx-action': { min: 3, reason: 'v1-v2 run on Node 16' },
  'docker/setup-qemu-action': { min: 3, reason: 'v1-v2 run on Node 16' },
  'docker/metadata-action': { min: 5, reason: 'v1-v4 run on Node 12/16' },
  'google-github-actions/auth': { min: 2, reason: 'v0-v1 run on Node 16' },
  'google-github-actions/setup-gcloud': { min: 2, reason: 'v0-v1 run on Node 16' },
  'google-github-actions/deploy-cloudrun': { min: 2, reason: 'v0-v1 run on Node 16' },
  'aws-actions/configure-aws-credentials': { min: 4, reason: 'v1-v3 run on Node 12/16' },
  'codecov/codecov-action': { min: 4, reason: 'v1-v3 run on Node 12/16' },
};

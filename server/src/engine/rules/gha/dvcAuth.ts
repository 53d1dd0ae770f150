import { defineFileRule } from '../../rule';
import type { Workspace } from '../../workspace';
import { isWorkflowFile, rangeIn, type YValue, workflowOf } from '../../gha/workflow';
import { readDvcConfig, remotes } from '../../dvc/data/dvcConfig';

const AUTH_ACTION = /^(google-github-actions\/(auth|setup-gcloud)|aws-actions\/configure-aws-credentials|azure\/login|iterative\/setup-cml)@/;
const AUTH_RUN =
  /dvc\s+remote\s+modify\b[^\n]*(--local|credentialpath|access_key|secret_access_key|gdrive_service_account|gdrive_use_service_account|password|user|keyfile|account_key|connection_string|sas_token)|gcloud\s+auth|GOOGLE_APPLICATION_CREDENTIALS|aws\s+configure|az\s+login|\$\{\{\s*secrets\.[^}]*\}\}\s*>|>\s*\S*(credentials|key|sa)\S*\.json/i;
const AUTH_ENV =
  /^(GOOGLE_APPLICATION_CREDENTIALS|GDRIVE_CREDENTIALS_DATA|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_STORAGE_CONNECTION_STRING|AZURE_STORAGE_KEY|AZURE_CLIENT_SECRET|DVC_.*|GCP_SA_KEY|GOOGLE_CREDENTIALS)$/i;

/** Remote URLs of .dvc/config. All public (http/https) or local paths mean no authentication is needed. */
function remotesNeedAuth(ws: Workspace): boolean {
  if (!ws.readText('.dvc/config').ok) return true;
  const urls = [...remotes(readDvcConfig(ws, '')).values()].flatMap((r) => (r.url ? [r.url.value] : []));
  if (!urls.length) return true;
  return urls.some((u) => /^(s3|gs|gdrive|azure|ssh|hdfs|webdav|oss|webhdfs):\/\//i.test(u) || /^remote:\/\//.test(u));
}

function hasAuthEnv(env: Map<string, YValue>): boolean {
  return [...env.entries()].some(([k, v]) => AUTH_ENV.test(k) || /\$\{\{\s*secrets\./.test(v.value));
}

/** `dvc pull` on a fresh runner has no credentials for the remote: the job fails with an access error. */
export const dvcPullWithoutAuth = defineFileRule({
  code: 'GHA007',
  name: 'dvc-pull-without-auth',
  severity: 'error',
  title: '`dvc pull` without an authentication step',
  doc: {
    what: 'A step runs `dvc pull` (or `dvc fetch`, `dvc repro --pull`) and nothing before it in the job authenticates to the DVC remote: no `google-github-actions/auth` / `aws-actions/configure-aws-credentials` / `azure/login` step, no credentials in the environment (`GOOGLE_APPLICATION_CREDENTIALS`, `AWS_ACCESS_KEY_ID`, a `${{ secrets.X }}`), no `dvc remote modify --local ... credentialpath`. Skipped when every remote in `.dvc/config` is public (http/https) or a local path.',
    why: 'The runner has no credentials: `dvc pull` fails with "Access denied"/"Anonymous caller does not have storage.objects.get", or, for Google Drive, hangs waiting for a browser login.',
    example: '- uses: iterative/setup-dvc@v1\n- run: dvc pull\n',
    fix: '- uses: google-github-actions/auth@v2\n  with:\n    credentials_json: ${{ secrets.GCP_SA_KEY }}\n- run: dvc pull\n',
    references: [
      'https://dvc.org/doc/user-guide/data-management/remote-storage/google-cloud-storage#custom-authentication',
      'https://github.com/google-github-actions/auth',
    ],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    let needAuth: boolean | undefined;
    for (const job of wf.jobs) {
      if (hasAuthEnv(wf.env) || hasAuthEnv(job.env)) continue;
      for (const step of job.steps) {
        if (!step.run) continue;
        const m = /\bdvc\s+(pull|fetch|repro\s+[^\n]*--pull|exp\s+pull|update)\b/.exec(step.run.value);
        if (!m) continue;
        const before = job.steps.filter((s) => s.index < step.index);
        const authed =
          hasAuthEnv(step.env) ||
          before.some((s) => (s.uses && AUTH_ACTION.test(s.uses.value)) || (s.run && AUTH_RUN.test(s.run.value)) || hasAuthEnv(s.env)) ||
          AUTH_RUN.test(step.run.value.slice(0, m.index));
        if (authed) continue;
        needAuth ??= remotesNeedAuth(ctx.ws);
        if (!needAuth) return;
        ctx.report({
          message: `\`dvc ${m[1].split(/\s/)[0]}\` in job '${job.id}' runs without any authentication step before it: the runner has no credentials for the DVC remote`,
          range: rangeIn(wf.doc, step.run.node, m[0]),
        });
      }
    }
  },
});

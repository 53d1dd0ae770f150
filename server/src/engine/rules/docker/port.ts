import { defineFileRule } from '../../rule';
import type { Workspace } from '../../workspace';
import { isDockerfile, type Word, dockerfileOf } from '../../docker/dockerfile';
import { containerCommand, unwrap } from './entrypoint';

const DEFAULT_PORT: Record<string, string> = { uvicorn: '8000', gunicorn: '8000', hypercorn: '8000', streamlit: '8501', fastapi: '8000', bentoml: '3000' };

/** Files that deploy to Cloud Run, whether they pass --port themselves. Undefined when nothing deploys to Cloud Run. */
export function cloudRunDeployment(ws: Workspace): { file: string; passesPort: boolean } | undefined {
  for (const rel of ws.paths()) {
    if (!/^(cloudbuild[^/]*\.ya?ml|\.github\/workflows\/[^/]+\.ya?ml|Makefile|tasks\.py|gcp\/[^/]+\.ya?ml|[^/]*deploy[^/]*\.(sh|ya?ml))$/.test(rel)) continue;
    const r = ws.readText(rel);
    if (!r.ok || !/\brun['",\s]+deploy\b|deploy-cloudrun|run\.googleapis\.com|gcloud-run/.test(r.text)) continue;
    return { file: rel, passesPort: /--port[=\s]|containerPort|container_port|\bport:\s*['"]?\d/.test(r.text) };
  }
  return undefined;
}

/** Cloud Run sends traffic to $PORT (8080): a server bound to another fixed port never becomes ready. */
export const serverPortHardCoded = defineFileRule({
  code: 'DKR008',
  name: 'server-port-hard-coded',
  severity: 'warning',
  title: 'Server image listens on a fixed port where the platform passes $PORT',
  doc: {
    what: "The project deploys to Cloud Run (a `gcloud run deploy` in Cloud Build, a workflow or a script, without `--port`), and the image's server (uvicorn, gunicorn, streamlit, ...) listens on a fixed port other than 8080, or on its default port, instead of `$PORT`.",
    why: 'Cloud Run tells the container which port to listen on through `$PORT` (8080 by default) and waits for it: a server on 8000 never becomes ready and the deployment fails with "failed to start and listen on the port defined by PORT".',
    example: 'CMD ["uvicorn", "digits.api:app", "--host", "0.0.0.0", "--port", "8000"]\n',
    fix: 'CMD exec uvicorn digits.api:app --host 0.0.0.0 --port ${PORT:-8080}\n\n(shell form, so the variable is expanded), or pass `--port 8000` to `gcloud run deploy`.',
    references: ['https://cloud.google.com/run/docs/container-contract#port'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const c = containerCommand(d.p);
    if (!c) return;
    const w = unwrap(c.words);
    const prog = (w[0]?.value ?? '').replace(/^.*\//, '');
    if (!(prog in DEFAULT_PORT)) return;
    if (c.words.some((x) => /\$\{?PORT\b/.test(x.value))) return;
    const deploy = cloudRunDeployment(ctx.ws);
    if (!deploy || deploy.passesPort) return;
    let port: Word | undefined;
    let value: string | undefined;
    for (let k = 1; k < w.length; k++) {
      const v = w[k].value;
      const m = /^(--port|--server\.port|--bind|-b|--listen)(?:=(.+))?$/.exec(v);
      if (!m) continue;
      port = m[2] !== undefined ? w[k] : w[k + 1];
      value = m[2] ?? w[k + 1]?.value;
      break;
    }
    const num = value?.replace(/^.*:/, '');
    if (num === '8080') return;
    const msg = port
      ? `${prog} listens on port ${num} but ${deploy.file} deploys to Cloud Run, which sends traffic to $PORT (8080); use \${PORT:-8080} or pass --port to gcloud run deploy`
      : `${prog} listens on its default port ${DEFAULT_PORT[prog]} but ${deploy.file} deploys to Cloud Run, which sends traffic to $PORT (8080); add --port \${PORT:-8080}`;
    ctx.report({ message: msg, range: port?.range ?? w[0].range });
  },
});

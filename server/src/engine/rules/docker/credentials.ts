import { defineFileRule } from '../../rule';
import { copySources, dockerignoreFor, dockerignoreMatcher, isDockerfile, joinPath } from '../../docker/dockerfile';
import { dockerfileOf } from './shared';

/** File names that hold credentials (W&B keys in .env, GCP service-account keys, gcloud's default.json). */
const CREDENTIAL = /(^|\/)(\.env(\.[^/]*)?|[^/]*key[^/]*\.json|default\.json|application_default_credentials\.json|[^/]*credentials[^/]*\.json|service[-_]?account[^/]*\.json|kaggle\.json|\.netrc|id_(rsa|ed25519|ecdsa)|[^/]*\.pem)$/i;
const NOT_CREDENTIAL = /\.(example|sample|template|dist)$|(^|\/)\.env\.(example|sample|template)$/i;

export function isCredentialFile(rel: string): boolean {
  return CREDENTIAL.test(rel) && !NOT_CREDENTIAL.test(rel);
}

/** Credentials in an image are readable by everyone who can pull it, in every layer, forever. */
export const credentialsCopied = defineFileRule({
  code: 'DKR001',
  name: 'credentials-copied-into-image',
  severity: 'error',
  title: 'Credentials copied into an image',
  doc: {
    what: 'A COPY/ADD puts a credentials file into the image: `.env`, a `*key*.json` / `*credentials*.json` service-account key, gcloud\'s `default.json`, `kaggle.json`, a private key. `COPY . .` counts when such a file is in the build context and `.dockerignore` does not exclude it (a git-ignored `.env` is still in the context).',
    why: 'Anyone who can pull the image can read the file, from any layer, even if a later step deletes it. Registries and Cloud Build logs spread it further.',
    example: '# dockerfiles/train.dockerfile\nCOPY gcp-key.json /app/gcp-key.json\nCOPY . .   # .env with WANDB_API_KEY is in the context\n',
    fix: 'Pass credentials at run time (`docker run -e WANDB_API_KEY`, `--env-file .env`, Cloud Run secrets, BuildKit `--mount=type=secret`) and add `.env` and `*.json` keys to `.dockerignore`. Rotate a key that was ever in a pushed image.',
    references: ['https://docs.docker.com/build/building/secrets/'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const ignoreFile = dockerignoreFor(ctx.ws, ctx.file, d.context);
    const igText = ignoreFile ? ctx.ws.readText(ignoreFile) : undefined;
    const excluded = dockerignoreMatcher(igText?.ok ? igText.text : '');
    for (const i of d.p.instructions) {
      for (const s of copySources(i).sources) {
        const src = joinPath(d.context, s.value);
        if (isCredentialFile(s.value.replace(/\/$/, ''))) {
          ctx.report({ message: `${i.keyword} ${s.value} puts a credentials file into the image; pass it at run time (environment variable, secret mount) instead`, range: s.range });
          continue;
        }
        const isDir = s.value === '.' || s.value.endsWith('/') || ctx.ws.isDirectory(src);
        if (!isDir) continue;
        // credentials in a copied folder: listed files, plus git-ignored ones that are on disk (still in the context)
        const prefix = src ? src + '/' : '';
        const found = new Set<string>();
        for (const rel of ctx.ws.paths()) if (rel.startsWith(prefix) && isCredentialFile(rel)) found.add(rel);
        for (const name of ['.env', 'default.json', 'gcp-key.json', 'key.json', 'credentials.json', 'service-account.json', 'kaggle.json']) {
          const rel = prefix + name;
          if (ctx.ws.exists(rel) && !ctx.ws.isDirectory(rel)) found.add(rel);
        }
        for (const rel of [...found].sort()) {
          const inCtx = d.context ? rel.slice(d.context.length + 1) : rel;
          if (excluded(inCtx)) continue;
          ctx.report({
            message: `${i.keyword} ${s.value} copies ${rel} (credentials) into the image: ${ignoreFile ?? '.dockerignore'} does not exclude it`,
            range: s.range,
          });
        }
      }
    }
  },
});

import { defineFileRule } from '../../rule';
import { copySources, isDockerfile, joinPath, dockerfileOf } from '../../docker/dockerfile';
import { credentialsUnder, isCredentialDirName, isCredentialFile, isServiceAccountKey } from '../../docker/contextFiles';
import { excludedFromContext } from './shared';

/** Credentials in an image are readable by everyone who can pull it, in every layer, forever. */
export const credentialsCopiedIntoImage = defineFileRule({
  code: 'DKR001',
  name: 'credentials-copied-into-image',
  severity: 'error',
  title: 'Credentials copied into an image',
  doc: {
    what: 'A COPY/ADD puts credentials into the image: `.env`, a `*key*.json` / `*credentials*.json` / `*-sa.json` key, a JSON file whose content is a Google service-account key (`"type": "service_account"` with `private_key`), gcloud\'s `default.json`, `kaggle.json`, a private key, or a `keys/`, `creds/`, `credentials/` or `secrets/` folder. Copying a folder (`COPY . .`, `COPY config/ config/`) counts when such a file is in it, at any depth, and `.dockerignore` does not exclude it (a git-ignored `.env` is still in the context). `.dockerignore` is read with Docker\'s semantics: `.env` there excludes only the root `.env`, `**/.env` every one.',
    why: 'Anyone who can pull the image can read the file, from any layer, even if a later step deletes it. Registries and Cloud Build logs spread it further.',
    example:
      '# dockerfiles/train.dockerfile\nCOPY gcp-key.json /app/gcp-key.json\nCOPY . .   # api/.env with WANDB_API_KEY is in the context; .dockerignore has only `.env`\n',
    fix: 'Pass credentials at run time (`docker run -e WANDB_API_KEY`, `--env-file .env`, Cloud Run secrets, BuildKit `--mount=type=secret`) and add `**/.env`, `keys/` and `*.json` keys to `.dockerignore`. Rotate a key that was ever in a pushed image.',
    references: ['https://docs.docker.com/build/building/secrets/', 'https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const { ignoreFile, excluded } = excludedFromContext(ctx, d);
    for (const i of d.p.instructions) {
      for (const s of copySources(i).sources) {
        if (/[$*?[]/.test(s.value) || /^https?:/.test(s.value)) continue;
        const src = joinPath(d.context, s.value);
        const name = src.slice(src.lastIndexOf('/') + 1);
        const isDir = s.value === '.' || s.value.endsWith('/') || ctx.ws.isDirectory(src);
        if (!isDir) {
          const text = src.endsWith('.json') ? ctx.ws.readText(src) : undefined;
          if (isCredentialFile(src) || (text?.ok && isServiceAccountKey(text.text))) {
            ctx.report({
              message: `${i.keyword} ${s.value} puts a credentials file${text?.ok && isServiceAccountKey(text.text) ? ' (a service-account key)' : ''} into the image; pass it at run time (environment variable, secret mount) instead`,
              range: s.range,
            });
          }
          continue;
        }
        if (src && isCredentialDirName(name)) {
          ctx.report({
            message: `${i.keyword} ${s.value} puts the credentials folder ${src}/ into the image; pass keys at run time (secret mount, environment variable) instead`,
            range: s.range,
          });
          continue;
        }
        for (const c of credentialsUnder(ctx.ws, src, excluded)) {
          const what =
            c.kind === 'folder'
              ? `the credentials folder ${c.rel}/`
              : c.kind === 'service-account key'
                ? `${c.rel} (a service-account key)`
                : `${c.rel} (credentials)`;
          ctx.report({
            message: `${i.keyword} ${s.value} copies ${what} into the image: ${ignoreFile ?? '.dockerignore'} does not exclude it`,
            range: s.range,
          });
        }
      }
    }
  },
});

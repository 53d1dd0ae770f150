import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { defineFileRule } from '../../rule';
import { YamlDocument } from '../../text/yamlDocument';
import { joinPath } from '../../docker/dockerfile';

export const isCloudBuild = (rel: string): boolean => /(^|\/)cloudbuild[^/]*\.ya?ml$/.test(rel);

function stepsOf(doc: YamlDocument): { node: unknown; args: Scalar[]; name: string; dir: string; entry: string }[] {
  const steps = YamlDocument.pair(doc.rootMap, 'steps')?.value;
  if (!isSeq(steps)) return [];
  return steps.items.filter(isMap).map((s) => {
    const args = YamlDocument.pair(s, 'args')?.value;
    const str = (k: string): string => {
      const v = YamlDocument.pair(s, k)?.value;
      return isScalar(v) ? String(v.value) : '';
    };
    return { node: s, args: isSeq(args) ? (args.items.filter(isScalar) as Scalar[]) : [], name: str('name'), dir: str('dir'), entry: str('entrypoint') };
  });
}

export const cloudbuildDockerfileMissing = defineFileRule({
  code: 'PRE005',
  name: 'cloudbuild-dockerfile-missing',
  severity: 'error',
  title: 'Cloud Build builds a Dockerfile that does not exist',
  doc: {
    what: "A `cloudbuild*.yaml` docker step builds with `-f <path>` (or kaniko `--dockerfile`), or without `-f` from a context without a `Dockerfile`, and that file is not in the repository (relative to the step's `dir`).",
    why: 'The trigger fails on every push ("unable to prepare context: unable to evaluate symlinks in Dockerfile path"), typically after dockerfiles were renamed (`api.Dockerfile` vs `api.dockerfile`: Cloud Build runs on Linux, where names are case-sensitive).',
    example: "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-f', 'dockerfiles/api.Dockerfile', '-t', 'api', '.']\n",
    fix: "Use the real path: `args: ['build', '-f', 'dockerfiles/api.dockerfile', '-t', 'api', '.']`.",
    references: ['https://cloud.google.com/build/docs/building/build-containers'],
  },
  appliesTo: isCloudBuild,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    for (const step of stepsOf(doc)) {
      const vals = step.args.map((a) => String(a.value));
      const isDocker = /cloud-builders\/docker|(^|\/)docker(:|$)/.test(step.name) && vals[0] === 'build';
      const isKaniko = /kaniko/.test(step.name);
      if (!isDocker && !isKaniko) continue;
      let fileNode: Scalar | undefined;
      let filePath: string | undefined;
      let context = '.';
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i];
        const eq = /^(-f|--file|--dockerfile)=(.+)$/.exec(v);
        if (eq) {
          fileNode = step.args[i];
          filePath = eq[2];
        } else if (v === '-f' || v === '--file' || v === '--dockerfile') {
          fileNode = step.args[i + 1];
          filePath = vals[i + 1];
          i++;
        } else if (/^--context=/.test(v)) context = v.slice('--context='.length).replace(/^dir:\/\//, '');
        else if (/^(-t|--tag|--build-arg|--destination|--cache-from|--platform|--target|--network|-e|--label)$/.test(v)) i++;
        else if (isDocker && !v.startsWith('-') && i > 0) context = v;
      }
      const base = joinPath(step.dir, '');
      if (filePath === undefined) {
        if (!isDocker || /[$]/.test(context) || /^(https?|gs):/.test(context)) continue;
        const df = joinPath(joinPath(base, context), 'Dockerfile');
        if (!ctx.ws.exists(df)) {
          const ctxNode = step.args.find((a) => String(a.value) === context) ?? step.args[0];
          ctx.report({ message: `docker build without -f uses ${df}, which does not exist`, range: doc.rangeOf(ctxNode as Node) });
        }
        continue;
      }
      if (/[$]/.test(filePath) || !fileNode) continue;
      const rel = isKaniko ? joinPath(joinPath(base, context), filePath) : joinPath(base, filePath);
      if (!ctx.ws.exists(rel)) {
        const range = doc.rangeOf(fileNode as Node);
        ctx.report({ message: `the Dockerfile ${rel} does not exist${step.dir ? ` (relative to dir: ${step.dir})` : ''}`, range });
      }
    }
  },
});

export const cloudbuildSecretUndeclared = defineFileRule({
  code: 'PRE006',
  name: 'cloudbuild-secret-undeclared',
  severity: 'error',
  title: 'Cloud Build `secretEnv` not declared in `availableSecrets`',
  doc: {
    what: 'A Cloud Build step lists a variable in `secretEnv` that no `availableSecrets.secretManager[].env` (nor a legacy `secrets[].secretEnv`) declares.',
    why: 'Cloud Build rejects the build before any step runs ("secretEnv ... is not defined"), or, when the step reads the variable in a script, it is empty and W&B/DVC fail with an authentication error.',
    example: "steps:\n  - name: python\n    secretEnv: ['WANDB_API_KEY']\n# no availableSecrets\n",
    fix: 'availableSecrets:\n  secretManager:\n    - versionName: projects/$PROJECT_ID/secrets/wandb-api-key/versions/latest\n      env: WANDB_API_KEY\n',
    references: ['https://cloud.google.com/build/docs/securing-builds/use-secrets'],
  },
  appliesTo: isCloudBuild,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const declared = new Set<string>();
    const sm = YamlDocument.pair(YamlDocument.pair(doc.rootMap, 'availableSecrets')?.value, 'secretManager')?.value;
    if (isSeq(sm))
      for (const s of sm.items) {
        const e = YamlDocument.pair(s, 'env')?.value;
        if (isScalar(e)) declared.add(String(e.value));
      }
    const legacy = YamlDocument.pair(doc.rootMap, 'secrets')?.value;
    if (isSeq(legacy))
      for (const s of legacy.items) {
        const se = YamlDocument.pair(s, 'secretEnv')?.value;
        if (isMap(se)) for (const p of se.items) if (isScalar(p.key)) declared.add(String(p.key.value));
      }
    for (const step of stepsOf(doc)) {
      const se = YamlDocument.pair(step.node, 'secretEnv')?.value;
      const items = isSeq(se) ? se.items.filter(isScalar) : isScalar(se) ? [se] : [];
      for (const it of items as Scalar[]) {
        const name = String(it.value);
        if (!declared.has(name))
          ctx.report({
            message: `secretEnv ${name} is not declared in availableSecrets.secretManager (env: ${name}): Cloud Build rejects the build`,
            range: doc.rangeOf(it as Node),
          });
      }
    }
  },
});

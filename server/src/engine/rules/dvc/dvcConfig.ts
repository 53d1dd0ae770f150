import * as posix from 'node:path/posix';
import { defineFileRule, defineRepoRule, type FileContext } from '../../rule';
import type { Range } from '../../types';
import { parseDvcConfig, type ConfigOption, type ConfigSection } from '../../dvc/data/dvcConfig';
import { isDvcFile } from '../../dvc/data/dvcFiles';
import { dependencySourcesOf } from '../../python/projectDependencies';
import { LINE_BREAK } from '../../text/textIndex';

const isConfig = (rel: string): boolean => rel === '.dvc/config' || rel.endsWith('/.dvc/config');

function optionRange(o: ConfigOption, what: 'key' | 'value' | 'both'): Range {
  const start = what === 'value' ? o.valueStart : o.keyStart;
  const end = what === 'key' ? o.keyEnd : o.valueEnd;
  return { start: { line: o.line, character: start }, end: { line: o.line, character: end } };
}

function lineRange(ctx: FileContext, line: number): Range {
  const r = ctx.text();
  const text = r.ok ? (r.text.split(LINE_BREAK)[line] ?? '') : '';
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}

/** The tracked config and config.local next to it, parsed (memoised per pass). */
function configs(ctx: FileContext): { tracked: ConfigSection[]; local: ConfigSection[]; localPath: string } {
  return ctx.memo(`dvc-config:${ctx.file}`, () => {
    const r = ctx.text();
    const localPath = `${ctx.file}.local`;
    const l = ctx.ws.readText(localPath);
    return { tracked: r.ok ? parseDvcConfig(r.text, ctx.file) : [], local: l.ok ? parseDvcConfig(l.text, localPath) : [], localPath };
  });
}

function remotesOf(sections: ConfigSection[]): { name: string; section: ConfigSection; url?: ConfigOption }[] {
  return sections.filter((s) => s.kind === 'remote' && s.name).map((s) => ({ name: s.name!, section: s, url: s.options.get('url') }));
}

const scheme = (url: string): string | undefined => /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1].toLowerCase();

export const noDefaultRemote = defineFileRule({
  code: 'DVC060',
  name: 'no-default-remote',
  severity: 'warning',
  title: 'No default DVC remote',
  doc: {
    what: '`.dvc/config` sets no `core.remote` (or names a remote that is not defined).',
    why: 'Without a default remote, `dvc push` and `dvc pull` fail unless every call says `-r <name>`, and CI or a teammate cloning the repository cannot fetch the data. A default set only in `config.local` exists on one machine.',
    example: '# .dvc/config\n[\'remote "storage"\']\n    url = gs://my-bucket/dvc\n',
    fix: 'Set it in the tracked config: `dvc remote default storage` (writes `[core]` / `remote = storage`).',
    references: ['https://dvc.org/doc/command-reference/remote/default'],
  },
  appliesTo: isConfig,
  check(ctx) {
    const { tracked, local, localPath } = configs(ctx);
    const core = tracked.filter((s) => s.kind === 'core');
    const remoteOpt = core
      .map((s) => s.options.get('remote'))
      .filter((o): o is ConfigOption => !!o)
      .pop();
    const defined = new Set([...remotesOf(tracked), ...remotesOf(local)].map((r) => r.name));
    if (remoteOpt) {
      if (remoteOpt.value && !defined.has(remoteOpt.value)) {
        ctx.report({
          message: `core.remote is \`${remoteOpt.value}\`, but no remote of that name is defined (have: ${[...defined].join(', ') || 'none'})`,
          range: optionRange(remoteOpt, 'value'),
        });
      }
      return;
    }
    const inLocal = local.some((s) => s.kind === 'core' && s.options.has('remote'));
    const names = remotesOf(tracked).map((r) => r.name);
    const range = core.length ? lineRange(ctx, core[0].line) : remotesOf(tracked)[0] ? lineRange(ctx, remotesOf(tracked)[0].section.line) : lineRange(ctx, 0);
    const suggestion = names.length ? `; run \`dvc remote default ${names[0]}\`` : '; add one with `dvc remote add -d <name> <url>`';
    ctx.report({
      message: inLocal
        ? `${ctx.file} sets no default remote (only ${localPath}, which is not committed, does): a fresh clone cannot \`dvc pull\`${suggestion}`
        : names.length
          ? `${ctx.file} defines ${names.map((n) => `\`${n}\``).join(', ')} but no default remote (core.remote)${suggestion}`
          : `${ctx.file} has no remote: the data exists only on this machine${suggestion}`,
      range,
    });
  },
});

export const gdriveRemote = defineFileRule({
  code: 'DVC061',
  name: 'gdrive-remote',
  severity: 'warning',
  title: 'Google Drive DVC remote',
  doc: {
    what: 'A DVC remote uses `gdrive://`.',
    why: "Google changed its Drive API policy in 2024: DVC's default OAuth app is blocked for new users, so `dvc pull` fails for teammates and CI unless everyone sets up their own OAuth client or a service account. Cloud storage (gs://, s3://, azure://) is the reliable choice.",
    example: '[\'remote "storage"\']\n    url = gdrive://1AbCdEfGhIjK\n',
    fix: 'Move the data to a bucket: `dvc remote add -d storage gs://<bucket>/dvc`, `dvc push -r storage`.',
    references: ['https://dvc.org/doc/user-guide/data-management/remote-storage/google-drive'],
  },
  appliesTo: isConfig,
  check(ctx) {
    for (const r of remotesOf(configs(ctx).tracked)) {
      if (r.url && scheme(r.url.value) === 'gdrive') {
        ctx.report({
          message: `remote \`${r.name}\` uses Google Drive (${r.url.value}); Google's 2024 API policy blocks DVC's default login for new users: prefer a bucket (gs://, s3://, azure://)`,
          range: optionRange(r.url, 'value'),
        });
      }
    }
  },
});

/** The DVC plugin package each remote scheme needs [DVC docs: remote storage]. */
export const REMOTE_PLUGINS: Record<string, { plugin: string; extra: string }> = {
  s3: { plugin: 'dvc-s3', extra: 's3' },
  gs: { plugin: 'dvc-gs', extra: 'gs' },
  gcs: { plugin: 'dvc-gs', extra: 'gs' },
  azure: { plugin: 'dvc-azure', extra: 'azure' },
  gdrive: { plugin: 'dvc-gdrive', extra: 'gdrive' },
  ssh: { plugin: 'dvc-ssh', extra: 'ssh' },
  hdfs: { plugin: 'dvc-hdfs', extra: 'hdfs' },
  webhdfs: { plugin: 'dvc-webhdfs', extra: 'webhdfs' },
  oss: { plugin: 'dvc-oss', extra: 'oss' },
  webdav: { plugin: 'dvc-webdav', extra: 'webdav' },
  webdavs: { plugin: 'dvc-webdav', extra: 'webdav' },
};

export const remotePluginMissing = defineFileRule({
  code: 'DVC062',
  name: 'remote-plugin-missing',
  severity: 'warning',
  title: 'DVC remote plugin not declared',
  doc: {
    what: "A DVC remote's scheme needs a plugin package (`gs://` needs `dvc-gs`, `s3://` `dvc-s3`, `azure://` `dvc-azure`, `gdrive://` `dvc-gdrive`, `ssh://` `dvc-ssh`, ...) that the project's declared dependencies (requirements*.txt, pyproject.toml) do not include, neither directly nor as `dvc[gs]`.",
    why: 'A fresh environment installed from the project\'s dependencies cannot `dvc pull`: DVC stops with "please install dvc-gs". CI jobs fail in the data step.',
    example: '# .dvc/config\n[\'remote "storage"\']\n    url = gs://my-bucket/dvc\n# requirements.txt has dvc but not dvc-gs\n',
    fix: 'Add `dvc-gs` (or `dvc[gs]`) to the dependencies.',
    references: ['https://dvc.org/doc/install'],
  },
  appliesTo: isConfig,
  check(ctx) {
    const deps = dependencySourcesOf(ctx).deps;
    if (!deps.length) return; // the project declares no dependencies at all: nothing to compare with
    const names = new Set(deps.map((d) => d.name));
    const extras = new Set<string>();
    for (const d of deps) {
      const m = /^\s*dvc\s*\[([^\]]*)\]/i.exec(d.raw);
      if (m) for (const e of m[1].split(',')) extras.add(e.trim().toLowerCase());
    }
    const { tracked, local } = configs(ctx);
    for (const r of [...remotesOf(tracked), ...remotesOf(local).filter((l) => !remotesOf(tracked).some((t) => t.name === l.name))]) {
      const s = r.url && scheme(r.url.value);
      const need = s ? REMOTE_PLUGINS[s] : undefined;
      if (!need || names.has(need.plugin) || extras.has(need.extra) || extras.has('all')) continue;
      const declaredIn = [...new Set(deps.map((d) => d.file))].join(', ');
      ctx.report({
        message: `remote \`${r.name}\` (${s}://) needs the \`${need.plugin}\` package, which is not among the declared dependencies (${declaredIn}); add \`${need.plugin}\` or \`dvc[${need.extra}]\``,
        range: r.url!.file === ctx.file ? optionRange(r.url!, 'value') : lineRange(ctx, 0),
      });
    }
  },
});

const CREDENTIAL_KEYS = new Set([
  'access_key_id',
  'secret_access_key',
  'session_token',
  'password',
  'ask_password',
  'credentialpath',
  'keyfile',
  'key_file',
  'passphrase',
  'account_key',
  'sas_token',
  'connection_string',
  'client_secret',
  'client_id',
  'gdrive_client_secret',
  'gdrive_service_account_json_file_path',
  'gdrive_user_credentials_file',
  'token',
  'oss_key_secret',
  'oss_key_id',
]);

export const credentialsInDvcConfig = defineFileRule({
  code: 'DVC063',
  name: 'credentials-in-dvc-config',
  severity: 'error',
  title: 'Credentials in the tracked DVC config',
  doc: {
    what: 'A remote in the committed `.dvc/config` holds a credential (`access_key_id`, `secret_access_key`, `password`, `credentialpath`, `account_key`, `gdrive_client_secret`, ...).',
    why: 'Everything in `.dvc/config` is committed and pushed: the credential is public to anyone with access to the repository, forever in its history. DVC keeps a git-ignored `.dvc/config.local` for exactly this.',
    example: '[\'remote "storage"\']\n    url = s3://bucket/dvc\n    secret_access_key = wJalrXUtnFEMI...\n',
    fix: 'Move it: `dvc remote modify --local storage secret_access_key ...` (writes config.local), delete the line from `.dvc/config`, and rotate the credential.',
    references: ['https://dvc.org/doc/command-reference/remote/modify'],
  },
  appliesTo: isConfig,
  check(ctx) {
    if (!ctx.ws.isTracked(ctx.file) && ctx.ws.isIgnored(ctx.file)) return; // neither committed nor about to be
    for (const r of remotesOf(configs(ctx).tracked)) {
      for (const o of r.section.options.values()) {
        if (!CREDENTIAL_KEYS.has(o.key.toLowerCase()) || !o.value || /^(false|true)$/i.test(o.value)) continue;
        const pathLike = /path|file/.test(o.key.toLowerCase());
        ctx.report({
          message: `remote \`${r.name}\` has \`${o.key}\` in the committed ${ctx.file}${pathLike ? ` (${o.value})` : ''}; move it to ${posix.basename(ctx.file)}.local with \`dvc remote modify --local ${r.name} ${o.key} ...\`${pathLike ? '' : ' and rotate it'}`,
          range: optionRange(o, 'both'),
        });
      }
    }
  },
});

export const gsRemoteNotVersionAware = defineFileRule({
  code: 'DVC064',
  name: 'gs-remote-not-version-aware',
  severity: 'hint',
  title: 'Cloud remote without version_aware',
  doc: {
    what: 'A `gs://` remote does not set `version_aware = true`.',
    why: "With a versioned bucket, `version_aware` lets DVC store data under its real paths and use the bucket's object versions, so the data stays readable in the cloud console and other tools (the course setup uses it).",
    example: '[\'remote "storage"\']\n    url = gs://my-bucket/dvc\n',
    fix: '`dvc remote modify storage version_aware true` (enable object versioning on the bucket first).',
    references: ['https://dvc.org/doc/user-guide/data-management/cloud-versioning'],
  },
  appliesTo: isConfig,
  check(ctx) {
    const { tracked, local } = configs(ctx);
    for (const r of remotesOf(tracked)) {
      if (!r.url || scheme(r.url.value) !== 'gs') continue;
      const all = [r.section, ...local.filter((s) => s.kind === 'remote' && s.name === r.name)];
      if (all.some((s) => /^true$/i.test(s.options.get('version_aware')?.value ?? ''))) continue;
      ctx.report({
        message: `remote \`${r.name}\` (${r.url.value}) is not version_aware; \`dvc remote modify ${r.name} version_aware true\` on a versioned bucket`,
        range: optionRange(r.url, 'value'),
      });
    }
  },
});

const PLACEHOLDERS = new Set(['.gitkeep', '.gitignore', '.keep', 'README.md', 'readme.md', 'README', '.DS_Store']);

export const dataWithoutDvc = defineRepoRule({
  code: 'DVC065',
  name: 'data-without-dvc',
  severity: 'warning',
  title: 'data/ without DVC',
  doc: {
    what: 'The `data/` folder has content, but the project uses no DVC at all (no `.dvc/`, no `.dvc` file, no dvc.yaml).',
    why: 'Data that is neither versioned nor fetched reproducibly makes results impossible to reproduce: a teammate or CI cannot get the exact data a model was trained on, and data committed to git bloats the repository.',
    example: 'data/\n  raw/train.csv\n# no .dvc/ folder\n',
    fix: '`dvc init`, `dvc add data/raw`, commit the `.dvc` file and `.gitignore`, `dvc remote add -d storage <url>`, `dvc push`.',
    references: ['https://dvc.org/doc/start/data-management/data-versioning'],
  },
  check(ctx) {
    if (!ctx.ws.isDirectory('data')) return;
    const content = ctx.ws.readDir('data').filter((e) => !PLACEHOLDERS.has(e.name));
    if (!content.length) return;
    if (ctx.ws.exists('.dvc') || ctx.ws.exists('dvc.yaml')) return;
    for (const p of ctx.ws.paths()) if (isDvcFile(p) || p.endsWith('/dvc.yaml') || p.endsWith('/.dvc/config')) return;
    const at = ctx.anchor('README.md');
    if (!at) return;
    ctx.report({
      file: at.file,
      range: at.range,
      message: `data/ holds ${content.length} entr${content.length === 1 ? 'y' : 'ies'} (${content
        .slice(0, 3)
        .map((e) => e.name)
        .join(', ')}${content.length > 3 ? ', ...' : ''}) but the project does not use DVC: version it with \`dvc init\` and \`dvc add data/...\``,
    });
  },
});

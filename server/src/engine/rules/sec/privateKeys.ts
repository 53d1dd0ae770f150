import { defineFileRule } from '../../rule';
import { TextIndex } from '../../text/textIndex';
import { hasNoExtension, headHasPrivateKey, isKeyFileName, KEY_HEAD_BYTES, PEM_PRIVATE_KEY } from '../../secrets/detector';
import { isScannedForSecrets, MAX_SCAN_BYTES } from './secretText';

export const privateKey = defineFileRule({
  code: 'SEC003',
  name: 'private-key',
  severity: 'error',
  title: 'Private key in the repository',
  doc: {
    what: 'A file contains a PEM private key block (`-----BEGIN ... PRIVATE KEY-----`), including the `private_key` field of a cloud service-account JSON. Looked for in code and configuration files, in key files by name (`id_rsa`, `id_ed25519`, `*.pem`, `*.key`, `*.p8`) and in every file without an extension (`deploy_key`), by the first 8 KB of its content; binary files are skipped.',
    why: 'A private key in a repository is compromised: it grants whatever the key grants (a GCP service account, an SSH login) to anyone who reads the repository or its history.',
    example: '# gcp-key.json\n{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE..."}\n',
    fix: 'Delete the file, revoke the key, ignore the file name, and provide the credential at run time (a CI secret, workload identity, `GOOGLE_APPLICATION_CREDENTIALS` pointing outside the repository).',
  },
  appliesTo: (rel) => isScannedForSecrets(rel) || isKeyFileName(rel) || hasNoExtension(rel),
  check(ctx) {
    if (!isScannedForSecrets(ctx.file)) {
      // a key file by name, or a file without an extension (a script, LICENSE, a binary, a key): look at its first bytes
      // only, as bytes, and read it as text only when they hold a PEM header
      const head = ctx.ws.readHead(ctx.file, KEY_HEAD_BYTES);
      if (!head || !headHasPrivateKey(head)) return;
      const st = ctx.ws.stat(ctx.file);
      if (st && st.size > MAX_SCAN_BYTES) return;
    }
    const r = ctx.text();
    if (!r.ok || r.text.length > MAX_SCAN_BYTES || !r.text.includes('PRIVATE KEY')) return;
    const index = new TextIndex(r.text);
    const serviceAccount = /"type"\s*:\s*"service_account"/.test(r.text);
    for (const m of r.text.matchAll(PEM_PRIVATE_KEY)) {
      ctx.report({
        range: index.rangeOf(m.index!, m.index! + m[0].length),
        message: serviceAccount
          ? `${ctx.file} is a cloud service-account key (it contains its private key); delete it, revoke the key and use a CI secret`
          : `${ctx.file} contains a ${m[1].toLowerCase()}; delete it and revoke the key`,
      });
    }
  },
});

export const serviceAccountJson = defineFileRule({
  code: 'SEC004',
  name: 'service-account-json',
  severity: 'error',
  title: 'Cloud service-account key file',
  doc: {
    what: 'A JSON file has `"type": "service_account"` and a `private_key_id`: a Google Cloud service-account key, whether or not its private key is shown in full.',
    why: 'The course deploys to GCP; a key file next to the code ends up committed or copied into a Docker image. Whoever holds it acts as the service account.',
    example: '{\n  "type": "service_account",\n  "project_id": "my-mlops",\n  "private_key_id": "..."\n}\n',
    fix: 'Remove the file from the repository and the image, revoke the key, ignore `*.json` key files by name, and authenticate CI with a secret (google-github-actions/auth).',
  },
  appliesTo: (rel) => rel.toLowerCase().endsWith('.json'),
  check(ctx) {
    // read first: the first read of a file is also its stat (Workspace.readFresh); a text above the limit is not scanned
    const r = ctx.text();
    if (!r.ok || r.text.length > MAX_SCAN_BYTES) return;
    const type = /"type"\s*:\s*"service_account"/.exec(r.text);
    if (!type || !/"private_key_id"\s*:/.test(r.text)) return;
    if (r.text.includes('PRIVATE KEY-----')) return; // SEC003 reports it, on the key itself
    const index = new TextIndex(r.text);
    ctx.report({
      range: index.rangeOf(type.index, type.index + type[0].length),
      message: `${ctx.file} is a cloud service-account key file; remove it, revoke the key and use a CI secret`,
    });
  },
});

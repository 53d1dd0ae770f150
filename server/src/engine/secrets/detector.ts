/**
 * The one secret detector: what the SEC rules look for in files, and what every message, hover and log line is passed
 * through before it leaves the engine (a message that quotes a `cmd`, a param value or a YAML line must never print a
 * key whole). Patterns are anchored on context (a name that says "key", a known token prefix, a PEM header), never on a
 * bare run of hexadecimal characters: a git commit hash has the same shape as a W&B key.
 */

export type SecretKind =
  | 'wandb-api-key'
  | 'aws-access-key-id'
  | 'github-token'
  | 'huggingface-token'
  | 'slack-token'
  | 'google-api-key'
  | 'openai-key'
  | 'private-key'
  | 'url-password'
  | 'bearer-token'
  | 'assigned-secret';

export interface SecretMatch {
  kind: SecretKind;
  /** Offsets of the secret value itself (not of the name it is assigned to). */
  start: number;
  end: number;
}

/**
 * W&B API keys are 40 hexadecimal characters. Matched where code or configuration assigns them: WANDB_API_KEY=...,
 * `ENV WANDB_API_KEY ...`, `wandb.login(key="...")`, `api_key: ...`, `wandb login <key>`. Group 1 is the key.
 */
const WANDB: RegExp[] = [
  /WANDB_API_KEY["']?\s*\]?\s*[:=]\s*["']?([0-9a-f]{40})\b/g,
  /\bENV\s+WANDB_API_KEY\s+["']?([0-9a-f]{40})\b/g,
  /wandb\.login\([^)\n]*\bkey\s*=\s*["']([0-9a-f]{40})["']/g,
  /\b(?:wandb_)?api_key\s*[:=]\s*["']?([0-9a-f]{40})\b/gi,
  /\bwandb\s+login\s+(?:--\S+\s+)*["']?([0-9a-f]{40})\b/g,
];

/**
 * Tokens recognisable by their prefix alone (the providers made them so for secret scanning): AWS access key ids
 * (AKIA long-term, ASIA temporary; 20 upper-case characters), GitHub (ghp_/gho_/ghu_/ghs_/ghr_ + 36, github_pat_),
 * Hugging Face (hf_ + 34 letters), Slack (xoxb-/xoxp-...), Google API keys (AIza + 35), OpenAI (sk-...).
 */
const PREFIXED: { kind: SecretKind; re: RegExp }[] = [
  { kind: 'aws-access-key-id', re: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g },
  { kind: 'github-token', re: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'huggingface-token', re: /\b(hf_[A-Za-z0-9]{30,})\b/g },
  { kind: 'slack-token', re: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/g },
  { kind: 'google-api-key', re: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g },
  { kind: 'openai-key', re: /\b(sk-(?:proj-)?[A-Za-z0-9_-]{20,})/g },
];

/** A PEM private key: group 1 is the header kind, the body (base64 up to END or the end of the text) is the secret. */
export const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;
const PEM_BODY = /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----((?:(?!-----END)[\s\S]){0,16384})/g;

/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]+:([^\s@/'"`]+)@/gi;
const BEARER = /\bBearer\s+([A-Za-z0-9._~+/=-]{16,})/g;

/**
 * A value assigned to a name that says it is a secret: `token=...`, `"password": "..."`, `aws_secret_access_key = ...`,
 * `--api-key ...`, `--hf-token=...`, `WANDB_KEY: ...`. A space separates only after a command-line flag (`--token X`).
 */
const SECRET_NAME = String.raw`(?:[A-Za-z0-9]+[_.-])*(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?key|key|credentials?)`;
const VALUE = String.raw`["']?([^\s"'\`,;(){}\[\]<>]{8,})`;
const ASSIGNED: RegExp[] = [
  new RegExp(String.raw`(?<![A-Za-z0-9_])(--?)?(${SECRET_NAME})["']?\s*\]?\s*[:=]\s*${VALUE}`, 'gi'),
  new RegExp(String.raw`(?<![A-Za-z0-9_-])(--?)(${SECRET_NAME})\s+${VALUE}`, 'gi'),
  new RegExp(String.raw`\b(ENV\s+)(${SECRET_NAME})\s+${VALUE}`, 'gi'),
  // how messages quote a value: "`wandb.api_key` is "…" in params.yaml"
  new RegExp(String.raw`(?<![A-Za-z0-9_])()(${SECRET_NAME})\x60\s+(?:is|was|=)\s+${VALUE}`, 'gi'),
];
/** Values that are references or placeholders, not secrets. */
const PLACEHOLDER = /^(\$|%|<|\*{3}|x{6,}$|changeme$|dummy|example|placeholder|none$|null$|true$|false$|your[_-])|\.\.\.|…/i;

function isSecretLooking(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (/^[a-z]+(?:[._-][a-z]+)*$/i.test(value)) return false; // a word or a dotted name (`os.environ`, `settings.token`)
  if (/\.(json|pem|key|txt|ya?ml|env|cfg|ini|toml|p12)$/i.test(value)) return false; // a file that holds it, not the secret
  return /\d/.test(value) || value.length >= 20;
}

/**
 * W&B's current keys (SDK 0.22.3 on): `wandb_v1_` + 77 letters, digits and underscores (86 in all). The prefix says
 * what it is, so they are found anywhere, like the prefixed tokens below (a positional `python train.py <key>` too).
 */
const WANDB_V1 = /(?<![A-Za-z0-9_])(wandb_v1_[A-Za-z0-9_]{60,120})(?![A-Za-z0-9_])/g;

/** The W&B keys in a text: v1 keys anywhere, legacy keys where assigned (SEC002's and every message's). */
export function findWandbKeys(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  if (text.includes('wandb_v1_')) for (const m of text.matchAll(WANDB_V1)) out.push({ kind: 'wandb-api-key', start: m.index!, end: m.index! + m[1].length });
  if (!/[0-9a-f]{40}/.test(text)) return out;
  const seen = new Set<number>(out.map((m) => m.start));
  for (const re of WANDB) {
    for (const m of text.matchAll(re)) {
      const start = m.index! + m[0].lastIndexOf(m[1]);
      if (seen.has(start)) continue;
      seen.add(start);
      out.push({ kind: 'wandb-api-key', start, end: start + m[1].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Every secret the detector recognises in `text`, sorted, not overlapping. */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [...findWandbKeys(text)];
  for (const { kind, re } of PREFIXED)
    for (const m of text.matchAll(re)) found.push({ kind, start: m.index! + m[0].indexOf(m[1]), end: m.index! + m[0].indexOf(m[1]) + m[1].length });
  if (text.includes('PRIVATE KEY')) {
    for (const m of text.matchAll(PEM_BODY)) {
      const body = m[1].trim();
      const start = m.index! + m[0].length - m[1].length + (m[1].length - m[1].trimStart().length);
      if (body) found.push({ kind: 'private-key', start, end: start + body.length });
    }
  }
  if (text.includes('://'))
    for (const m of text.matchAll(URL_PASSWORD))
      found.push({ kind: 'url-password', start: m.index! + m[0].length - 1 - m[1].length, end: m.index! + m[0].length - 1 });
  for (const m of text.matchAll(BEARER)) found.push({ kind: 'bearer-token', start: m.index! + m[0].length - m[1].length, end: m.index! + m[0].length });
  for (const re of ASSIGNED) {
    for (const m of text.matchAll(re)) {
      const value = m[3];
      if (!isSecretLooking(value)) continue;
      // a bare `key` is a secret only as a flag or with a prefix (`--key`, `wandb_key`): `key: train.lr` in a message is not
      if (/^key$/i.test(m[2]) && !m[1]) continue;
      found.push({ kind: 'assigned-secret', start: m.index! + m[0].length - value.length, end: m.index! + m[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretMatch[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else out.push({ ...f });
  }
  return out;
}

/** `abcd…` plus the length: enough to recognise a key, never enough to use it. */
export function redact(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} characters)`;
}

/** The text with every secret the detector finds replaced by its redacted form. */
export function redactSecrets(text: string): string {
  const found = findSecrets(text);
  if (!found.length) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + redact(text.slice(f.start, f.end));
    at = f.end;
  }
  return out + text.slice(at);
}

/**
 * Names private keys are kept under: OpenSSH's defaults (`ssh-keygen` writes id_rsa, id_dsa, id_ecdsa, id_ed25519 and
 * their `-sk` variants; the public half gets `.pub`), and the PEM conventions `*.pem`, `*.key`, `*.p8` (PKCS#8).
 */
export function isKeyFileName(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/^id_(rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$/i.test(base)) return true;
  return /\.(pem|key|p8)$/i.test(base);
}

/** A file name without an extension (`deploy_key`, `server`, `id_rsa`): what it holds is known only from its content. */
export function hasNoExtension(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return base.length > 0 && !base.slice(1).includes('.');
}

/** How much of a file is looked at for a PEM header (openssl may write a few "Bag Attributes" lines before it). */
export const KEY_HEAD_BYTES = 8192;

/** Whether the first bytes of a file hold a PEM private key header (text only: a NUL byte means a binary file). */
export function headHasPrivateKey(head: Buffer): boolean {
  if (head.includes(0)) return false;
  return new RegExp(PEM_PRIVATE_KEY.source).test(head.toString('latin1')); // not the /g one: its lastIndex is shared
}

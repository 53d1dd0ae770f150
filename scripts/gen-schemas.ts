/**
 * Exports every schema registered in server/src/engine/schemas (SCHEMAS) as JSON Schema (draft-07, what the YAML
 * extension reads) to schemas/<id>, and writes the matching `contributes.yamlValidation` entries into package.json, so
 * that users of the YAML extension get completion and validation for files SchemaStore does not cover.
 * `npm run schemas`; test/unit/schemas.test.ts fails when the committed files differ from what this generates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { SCHEMAS, contributedSchemas, type FileSchema } from '../server/src/engine/schemas';

export interface YamlValidation {
  fileMatch: string[];
  url: string;
}

export const SCHEMA_DIR = 'schemas';

/** The JSON Schema of one file kind, as an object. */
export function jsonSchemaOf(s: FileSchema): Record<string, unknown> {
  // io: 'input' describes what may be written in the file (before defaults and transforms); what zod cannot express
  // (refinements, transforms) becomes `{}`, which accepts anything: the rules check it instead.
  const json = z.toJSONSchema(s.schema, { target: 'draft-7', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return { $schema, title: s.title, ...rest };
}

/** schemas/<id> -> its JSON text. */
export function expectedSchemaFiles(schemas: readonly FileSchema[] = SCHEMAS): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of schemas) out.set(s.id, JSON.stringify(jsonSchemaOf(s), null, 2) + '\n');
  return out;
}

export function expectedYamlValidation(schemas: readonly FileSchema[] = SCHEMAS): YamlValidation[] {
  return contributedSchemas(schemas).map((s) => ({ fileMatch: s.fileMatch, url: `./${SCHEMA_DIR}/${s.id}` }));
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const dir = path.join(root, SCHEMA_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const files = expectedSchemaFiles();
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.schema.json') && !files.has(f)) fs.rmSync(path.join(dir, f));
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  const pkgPath = path.join(root, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { contributes: Record<string, unknown> };
  const contributed = expectedYamlValidation();
  if (contributed.length) pkg.contributes.yamlValidation = contributed;
  else delete pkg.contributes.yamlValidation;
  fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`wrote ${files.size} schemas to ${SCHEMA_DIR}/ and ${contributed.length} yamlValidation entries to package.json`);
}

/**
 * `mlh/zones`: the layering of docs/architecture.md as an ESLint rule. Each zone forbids files under `target` to import
 * anything under one of `forbidden` (folders or files, relative to the repository root) that is not under one of
 * `allow`, whatever the relative path spells: the specifier is resolved against the importing file, as Node and
 * TypeScript resolve it. Package imports
 * are left to `no-restricted-imports`. Every way a module is named is checked: import and export declarations,
 * `import type`, `import()` and `import x = require()`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const inside = (rel, dir) =>
  rel === dir || rel.startsWith(dir.endsWith('/') ? dir : dir + '/') || rel.replace(/\.(ts|js|mjs|cjs)$/, '') === dir.replace(/\.(ts|js|mjs|cjs)$/, '');

/** @type {import('eslint').Rule.RuleModule} */
export const zones = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids imports across the layers of docs/architecture.md' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            target: { type: 'string' },
            forbidden: { type: 'array', items: { type: 'string' } },
            allow: { type: 'array', items: { type: 'string' } },
            message: { type: 'string' },
          },
          required: ['target', 'forbidden', 'message'],
          additionalProperties: false,
        },
      },
    ],
    messages: { forbidden: '{{file}} may not import {{spec}} ({{resolved}}): {{message}}' },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const active = (context.options[0] ?? []).filter((z) => inside(file, z.target));
    if (!active.length) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const resolved = path
        .relative(ROOT, path.resolve(path.dirname(context.filename), spec))
        .split(path.sep)
        .join('/');
      for (const z of active) {
        if (z.forbidden.some((f) => inside(resolved, f)) && !(z.allow ?? []).some((a) => inside(resolved, a)))
          context.report({ node, messageId: 'forbidden', data: { file, spec, resolved, message: z.message } });
      }
    };
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
      TSImportEqualsDeclaration: (n) =>
        n.moduleReference.type === 'TSExternalModuleReference' && check(n.moduleReference.expression, n.moduleReference.expression.value),
      CallExpression: (n) =>
        n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal' && check(n.arguments[0], n.arguments[0].value),
    };
  },
};

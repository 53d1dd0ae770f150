import * as assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../support/tmp';

/**
 * The import zones of eslint.config.mjs (docs/architecture.md's layering) can fail: a deliberately wrong import in each
 * layer, linted with the project's own config by ESLint's Node API as `npm run lint` lints a file at that path, is an
 * error naming the zone; the right import beside it is not. (lintText with a file path: the probe is linted as a file
 * at that place in the tree without writing one there.)
 */
describe('lint: the layering of docs/architecture.md is enforced by ESLint', function () {
  this.timeout(60000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: PROJECT_ROOT });
  });

  /** `rule: message` of every finding of `code` linted as the file `rel`. */
  async function lint(rel: string, code: string): Promise<string[]> {
    const [r] = await eslint.lintText(code, { filePath: `${PROJECT_ROOT}/${rel}`, warnIgnored: true });
    return r.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('the client may import shared/ and itself, never server/ (whatever the relative path spells)', async () => {
    assert.deepEqual(
      await lint(
        'client/src/runs/probe.ts',
        "import { RunsListRequest } from '../../../shared/protocol';\nimport { runFromWire } from '../../../shared/runCodec';\nimport { registerStatus } from '../status';\nexport const x = [RunsListRequest, runFromWire, registerStatus];\n",
      ),
      [],
    );
    // client/src/server.ts is the client's own module, not the server
    assert.deepEqual(await lint('client/src/probe.ts', "import { ServerController } from './server';\nexport const x = ServerController;\n"), []);
    const wrong = await lint('client/src/probe.ts', "import { Workspace } from '../../server/src/engine/workspace';\nexport const x = Workspace;\n");
    assert.equal(wrong.length, 1, wrong.join('\n'));
    assert.match(
      wrong[0],
      /^mlh\/zones: client\/src\/probe\.ts may not import \.\.\/\.\.\/server\/src\/engine\/workspace \(server\/src\/engine\/workspace\): the client is UI only/,
    );
    // a type-only import and a detour through shared/.. are the same import
    assert.match(
      (await lint('client/src/runs/probe.ts', "import type { Finding } from '../../../shared/../server/src/engine/rule';\nexport type X = Finding;\n")).join(
        '\n',
      ),
      /mlh\/zones: .*the client is UI only/,
    );
    // the documented exception (the tracking clients run in the extension host) is one folder's files, not the engine
    assert.deepEqual(
      await lint('client/src/runs/probe.ts', "import { redactUrl } from '../../../server/src/engine/runs/sources/http';\nexport const x = redactUrl;\n"),
      [],
    );
    assert.match(
      (await lint('client/src/runs/probe.ts', "import { RunIndex } from '../../../server/src/engine/runs/index';\nexport const x = RunIndex;\n")).join('\n'),
      /mlh\/zones/,
    );
    // nor does it read project files or spawn processes itself
    assert.match(
      (await lint('client/src/versioning/probe.ts', "import { execFile } from 'node:child_process';\nexport const x = execFile;\n")).join('\n'),
      /^no-restricted-imports: .*runs no process/,
    );
    assert.match(
      (await lint('client/src/probe.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n")).join('\n'),
      /^no-restricted-imports: .*reads no project file/,
    );
  });

  it('the engine imports no LSP package, no language server, no CLI, and its types from shared/types.ts', async () => {
    assert.deepEqual(
      await lint(
        'server/src/engine/runs/probe.ts',
        "import type { RunSummary } from '../../../../shared/types';\nimport { Workspace } from '../workspace';\nexport type X = RunSummary | Workspace;\n",
      ),
      [],
    );
    const lspPackage = await lint('server/src/engine/probe.ts', "import { TextEdit } from 'vscode-languageserver';\nexport const x = TextEdit;\n");
    assert.equal(lspPackage.length, 1, lspPackage.join('\n'));
    assert.match(lspPackage[0], /^no-restricted-imports: .*no LSP or VS Code import here/);
    assert.match(
      (await lint('server/src/engine/probe.ts', "import * as lsp from 'vscode-languageserver/node';\nexport const x = lsp;\n")).join('\n'),
      /no-restricted-imports/,
    );
    assert.match(
      (await lint('server/src/engine/probe.ts', "import { Server } from '../lsp/server';\nexport const x = Server;\n")).join('\n'),
      /mlh\/zones: .*the engine is a library/,
    );
    assert.match(
      (await lint('server/src/engine/rules/probe.ts', "export async function f() {\n  return import('../../cli/main');\n}\n")).join('\n'),
      /mlh\/zones: .*\(server\/src\/cli\/main\): the engine is a library/,
    );
    assert.match(
      (await lint('server/src/engine/probe.ts', "import type { RunSummary } from '../../../shared/protocol';\nexport type X = RunSummary;\n")).join('\n'),
      /mlh\/zones: .*from shared\/types\.ts/,
    );
  });

  it('shared/ imports neither side, and only protocol.ts imports the LSP package', async () => {
    const wrong = await lint(
      'shared/probe.ts',
      "export * from '../client/src/status';\nimport { Workspace } from '../server/src/engine/workspace';\nexport const x = Workspace;\n",
    );
    assert.equal(wrong.filter((m) => /^mlh\/zones: .*shared\/ is imported by both sides/.test(m)).length, 2, wrong.join('\n'));
    assert.match(
      (await lint('shared/types.ts', "import type { Range } from 'vscode-languageserver-protocol';\nexport type R = Range;\n")).join('\n'),
      /no-restricted-imports/,
    );
    assert.deepEqual(
      await lint(
        'shared/protocol.ts',
        "import { RequestType } from 'vscode-languageserver-protocol';\nimport type { RuleDocParams } from './types';\nexport const R = new RequestType<RuleDocParams, null, void>('x');\n",
      ),
      [],
    );
  });
});

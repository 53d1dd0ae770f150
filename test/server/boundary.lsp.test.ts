import * as assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';
import { gitRepo, rmrf } from '../support/tmp';

const CONFIG = `defaults:
  - model: vit
  - _self_

lr: \${model.lr}
opt:
  lr: \${lr}
`;
const INVALID_PARAMS = -32602;

/** Every incoming message is checked at the server's boundary (server/src/lsp/boundary.ts), issue 19. */
describe('language server boundary: messages of the wrong shape', function () {
  this.timeout(60_000);
  let root = '';
  let client: LspTestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmrf(root);
  });

  async function alive(c: LspTestClient, what: string): Promise<void> {
    // past the edit debounce (200 ms) and the file-event debounce (300 ms): a crash in a timer would have happened
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(c.proc.exitCode, null, `the server is still running after ${what}`);
    const hover = await c.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: c.uri('configs/config.yaml') },
      position: { line: 4, character: 8 },
    });
    assert.match(JSON.stringify(hover?.contents), /model\.lr.*= .*0\.01/, `a hover is answered after ${what}: ${JSON.stringify(hover)} ${c.logs.join('\n')}`);
  }

  beforeEach(async () => {
    root = gitRepo({
      'train.py': 'import hydra\n@hydra.main(config_path="configs", config_name="config", version_base="1.3")\ndef main(cfg):\n    pass\n',
      'configs/config.yaml': CONFIG,
      'configs/model/vit.yaml': 'name: vit\nlr: 0.01\n',
      'params.yaml': 'lr: 0.1\n',
    });
    client = await LspTestClient.start(root);
    await client.openChecked('configs/config.yaml', CONFIG, CONFIG.replace('${lr}', '${lrr}'), 'HYD010');
  });

  it('every handler the server registers has a params schema (none is logged as unchecked)', async () => {
    const c = client!;
    await new Promise((r) => setTimeout(r, 300)); // the log line is written on the next turn after registration
    assert.deepEqual(
      c.logs.filter((l) => /no params schema for/.test(l)),
      [],
    );
    assert.ok(
      c.logs.some((l) => /^mlops-hygiene/.test(l)),
      `the server logged (so a missing schema would show): ${c.logs.join(' | ')}`,
    );
  });

  it('a didOpen whose text is not a string, inside the workspace, is logged and ignored (it used to end the server)', async () => {
    const c = client!;
    for (const text of [5, null, { a: 1 }, ['lr: 1']]) {
      await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: c.uri('params.yaml'), languageId: 'yaml', version: 1, text } });
    }
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: c.uri('params.yaml') } });
    await c.connection.sendNotification('textDocument/didOpen', 'params.yaml');
    await alive(c, 'didOpen with a text that is not a string');
    const ignored = c.logs.filter((l) => /ignored textDocument\/didOpen with invalid params/.test(l));
    assert.equal(ignored.length, 6, c.logs.join('\n'));
    assert.match(ignored[0], /textDocument\.text: /);
  });

  it('didChange with bad contentChanges, of a document that is open, changes nothing and ends nothing', async () => {
    const c = client!;
    const uri = c.uri('configs/config.yaml');
    const bad: unknown[] = [
      'everything',
      [{ text: 5 }],
      [{ range: 'all', text: 'x' }],
      [{ range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }],
      [null],
      7,
    ];
    for (const contentChanges of bad) await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 99 }, contentChanges });
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri }, contentChanges: [{ text: 'broken: [' }] });
    await c.connection.sendNotification('textDocument/didClose', { textDocument: 5 });
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: 'all' });
    await alive(c, 'didChange with bad contentChanges');
    assert.equal(c.logs.filter((l) => /ignored textDocument\/didChange with invalid params/.test(l)).length, bad.length + 1, c.logs.join('\n'));
    // the document is what it was: the edit with the wrong shapes did not reach the overlay
    assert.deepEqual(c.codesFor('configs/config.yaml'), []);
  });

  it('requests with a wrong shape are answered with InvalidParams; the server answers the next hover', async () => {
    const c = client!;
    const uri = c.uri('configs/config.yaml');
    const wrong: [string, unknown][] = [
      ['textDocument/hover', { textDocument: { uri } }], // no position
      ['textDocument/hover', { position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -5, character: 1e12 } }],
      ['textDocument/definition', { textDocument: { uri: 42 }, position: 'top' }],
      ['textDocument/completion', { textDocument: { uri }, position: { line: 1.5, character: 0 } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: 'all', context: 7 }],
      ['mlopsHygiene/ruleDoc', { code: 5 }],
      ['mlopsHygiene/runs/details', { ids: 'all' }],
      ['mlopsHygiene/runs/history', { ids: [1, 2] }],
      ['mlopsHygiene/dvc/status', { folder: ['/'] }],
      ['mlopsHygiene/runs/list', { complete: 'yes' }],
      ['mlopsHygiene/runs/table', { ids: 'selection' }],
    ];
    for (const [method, params] of wrong) {
      const e = await c.connection.sendRequest(method, params as object).then(
        (r) => assert.fail(`${method} ${JSON.stringify(params)} answered ${JSON.stringify(r)}`),
        (err: { code?: number; message?: string }) => err,
      );
      assert.equal(e.code, INVALID_PARAMS, `${method} ${JSON.stringify(params)}: ${e.message}`);
      assert.match(e.message ?? '', new RegExp(`invalid params for ${method.replace(/\//g, '\\/')}`));
    }
    await alive(c, 'requests with wrong params');
  });

  it('a URI outside the workspace: opened, edited, hovered: an empty answer, nothing of the file, no crash', async () => {
    const c = client!;
    for (const uri of ['file:///etc/passwd', `${c.uri('')}/../../etc/hosts`, 'untitled:Untitled-1', 'file://%zz/bad']) {
      await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'a: 1\n' } });
      await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'b: 2\n' }] });
      const hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.equal(hover, null, uri);
    }
    await alive(c, 'URIs outside the workspace');
  });

  it('malformed JSON-RPC written raw to its input between messages', async () => {
    const c = client!;
    c.proc.stdin!.write('Content-Length: 9\r\n\r\n{bad json');
    c.proc.stdin!.write('Content-Length: 25\r\n\r\n{"jsonrpc":"2.0","id":[]}');
    c.proc.stdin!.write('Content-Length: 2\r\n\r\n[]');
    const raw = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    c.proc.stdin!.write(raw('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":1}'));
    c.proc.stdin!.write(
      raw(
        `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"${c.uri('params.yaml')}","languageId":"yaml","version":1,"text":5}}}`,
      ),
    );
    await alive(c, 'malformed JSON-RPC');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';
import { PROJECT_ROOT } from '../support/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
};
const contributed = pkg.contributes.grammars?.find((g) => g.injectTo?.includes('source.yaml'));
const INJECTION = contributed?.scopeName ?? '';

/**
 * A tiny host grammar with the scope name and the scopes of VS Code's YAML grammar (keys as entity.name.tag inside
 * string.unquoted.plain, plain scalars as begin/end rules, quoted strings, comments), written for this test: the
 * injection must work inside each of them.
 */
const HOST: IRawGrammar = {
  scopeName: 'source.yaml',
  patterns: [
    { include: '#comment' },
    { include: '#key' },
    { include: '#separator' },
    { include: '#dash' },
    { include: '#double' },
    { include: '#single' },
    { include: '#plain' },
  ],
  repository: {
    comment: { match: '(?:^|(?<=\\s))(#).*$', name: 'comment.line.number-sign.yaml', captures: { '1': { name: 'punctuation.definition.comment.yaml' } } },
    key: {
      begin: '(?=[^\\s#\'"\\-?:][^:#]*:(?:\\s|$))',
      end: '(?=:(?:\\s|$))',
      patterns: [{ begin: '\\G', end: '(?=\\s*:(?:\\s|$))', name: 'string.unquoted.plain.out.yaml', contentName: 'entity.name.tag.yaml' }],
    },
    separator: { match: ':(?=\\s|$)', name: 'punctuation.separator.key-value.mapping.yaml' },
    dash: { match: '-(?=\\s|$)', name: 'punctuation.definition.block.sequence.item.yaml' },
    double: { begin: '"', end: '"', name: 'string.quoted.double.yaml', patterns: [{ match: '\\\\.', name: 'constant.character.escape.yaml' }] },
    single: { begin: "'", end: "'", name: 'string.quoted.single.yaml' },
    plain: { begin: '[^\\s#\'"]', end: '(?=\\s*$|\\s+#)', name: 'string.unquoted.plain.out.yaml' },
  },
} as unknown as IRawGrammar;

interface Tok {
  text: string;
  scopes: string[];
}

let registryFor: (host: IRawGrammar) => Promise<IGrammar>;

before(async () => {
  const wasm = fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const onigLib = Promise.resolve({
    createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  });
  registryFor = async (host) => {
    const registry = new Registry({
      onigLib,
      loadGrammar: async (scopeName) => {
        if (scopeName === 'source.yaml') return host;
        if (scopeName === INJECTION) return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, contributed!.path), 'utf8')) as IRawGrammar;
        return null;
      },
      getInjections: (scopeName) => (scopeName === 'source.yaml' ? [INJECTION] : undefined),
    });
    return (await registry.loadGrammar('source.yaml'))!;
  };
});

function tokenize(grammar: IGrammar, text: string): Tok[][] {
  let state: StateStack = INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of our grammar (`*.mlops`) on each piece of a line, in order: `text=scope|scope`. */
function ours(line: Tok[]): string[] {
  return line
    .map((t) => ({ text: t.text, s: t.scopes.filter((x) => x.endsWith('.mlops')).map((x) => x.replace(/\.mlops$/, '')) }))
    .filter((t) => t.s.length)
    .map((t) => `${t.text}=${t.s[t.s.length - 1]}`);
}

const SAMPLE = [
  'lr: ${optimizer.lr}', // 0
  'run_dir: outputs/${now:%Y-%m-%d}/${hydra.job.name}', // 1
  'path: ${oc.env:DATA_DIR,/tmp/data}', // 2
  'nested: ${a.${b}}', // 3
  'escaped: \\${not.this}', // 4
  'rel: ${..model.name} ${.x} ${layers[0]}', // 5
  'quoted: "${x.y} and ???"', // 6
  'model: ???', // 7
  'question: what???', // 8
  '_target_: torch.optim.Adam', // 9
  'my_target_: x', // 10
  '# ${in.a.comment} and ??? and _target_: x', // 11
  'dict: ${oc.create:{a: 1, b: [2, 3]}}', // 12
  'list: [${x}, ${y}]', // 13
  '- ???', // 14
  'q: "???"', // 15
  'sel: ${oc.select:key, "de,fault"}', // 16
  'after: plain ${x} # comment ${y}', // 17
].join('\n');

describe('syntaxes/: the interpolation injection grammar, with vscode-textmate and vscode-oniguruma', () => {
  it('is contributed in package.json as an injection into source.yaml', () => {
    assert.ok(contributed, 'no grammar with injectTo source.yaml in contributes.grammars');
    const g = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, contributed.path), 'utf8')) as { scopeName: string; injectionSelector: string };
    assert.equal(g.scopeName, contributed.scopeName);
    assert.match(g.injectionSelector, /source\.yaml/);
  });

  it('scopes interpolations, resolvers, escapes, ??? and _target_ on a host YAML grammar, and leaves the rest alone', async () => {
    const lines = tokenize(await registryFor(HOST), SAMPLE);
    assert.deepEqual(ours(lines[0]), [
      '${=punctuation.definition.interpolation.begin',
      'optimizer=variable.other.property.node-path',
      '.=punctuation.accessor',
      'lr=variable.other.property.node-path',
      '}=punctuation.definition.interpolation.end',
    ]);
    // a resolver with an argument that has colons, and a second interpolation after plain text
    assert.deepEqual(ours(lines[1]).slice(0, 4), [
      '${=punctuation.definition.interpolation.begin',
      'now=entity.name.function.resolver',
      ':=punctuation.separator.resolver',
      '%Y-%m-%d=string.unquoted.argument',
    ]);
    assert.ok(ours(lines[1]).includes('hydra=variable.other.property.node-path'), ours(lines[1]).join(' '));
    assert.deepEqual(ours(lines[2]), [
      '${=punctuation.definition.interpolation.begin',
      'oc.env=entity.name.function.resolver',
      ':=punctuation.separator.resolver',
      'DATA_DIR=string.unquoted.argument',
      ',=punctuation.separator.arguments',
      '/tmp/data=string.unquoted.argument',
      '}=punctuation.definition.interpolation.end',
    ]);
    // nested: the inner ${b} is an interpolation inside the outer one
    assert.deepEqual(ours(lines[3]), [
      '${=punctuation.definition.interpolation.begin',
      'a=variable.other.property.node-path',
      '.=punctuation.accessor',
      '${=punctuation.definition.interpolation.begin',
      'b=variable.other.property.node-path',
      '}=punctuation.definition.interpolation.end',
      '}=punctuation.definition.interpolation.end',
    ]);
    const inner = lines[3].find((t) => t.text === 'b')!;
    assert.equal(inner.scopes.filter((s) => s === 'meta.interpolation.mlops').length, 2, 'b is inside two interpolations');
    // an escaped \${ is not an interpolation
    assert.deepEqual(ours(lines[4]), ['\\${=constant.character.escape.interpolation']);
    assert.ok(
      ours(lines[5]).filter((t) => t.endsWith('interpolation.begin')).length === 3 && ours(lines[5]).includes('[=punctuation.section.brackets'),
      ours(lines[5]).join(' '),
    );
    // inside a double-quoted string the interpolation is highlighted, a ??? that is not the whole value is not
    const q = lines[6];
    assert.ok(q.find((t) => t.text === 'x')!.scopes.includes('string.quoted.double.yaml'));
    assert.ok(ours(q).includes('x=variable.other.property.node-path'));
    assert.ok(!ours(q).some((t) => t.includes('missing-value')), ours(q).join(' '));
    assert.deepEqual(ours(lines[7]), ['???=constant.language.missing-value']);
    assert.deepEqual(ours(lines[8]), [], 'what??? is not the missing value');
    assert.deepEqual(ours(lines[9]), ['_target_=keyword.other.target']);
    assert.deepEqual(ours(lines[10]), [], 'my_target_ is an ordinary key');
    assert.deepEqual(ours(lines[11]), [], 'nothing in a comment');
    assert.ok(lines[11].every((t) => t.scopes.some((s) => s.startsWith('comment.'))));
    // a dict and a list as resolver arguments; the interpolation ends at the right brace
    assert.deepEqual(ours(lines[12]).slice(-4), [
      ' 3=string.unquoted.argument',
      ']=punctuation.section.brackets.end',
      '}=punctuation.section.brackets.end',
      '}=punctuation.definition.interpolation.end',
    ]);
    assert.equal(ours(lines[13]).filter((t) => t.endsWith('interpolation.end')).length, 2);
    assert.deepEqual(ours(lines[14]), ['???=constant.language.missing-value']);
    assert.deepEqual(ours(lines[15]), ['???=constant.language.missing-value']);
    // a quoted argument keeps its comma
    assert.ok(
      ours(lines[16]).includes('"de,fault"=string.quoted.double.argument') || ours(lines[16]).some((t) => t.startsWith('de,fault=')),
      ours(lines[16]).join(' '),
    );
    // after plain text: the interpolation is ours, the one in the trailing comment is not
    assert.deepEqual(ours(lines[17]), [
      '${=punctuation.definition.interpolation.begin',
      'x=variable.other.property.node-path',
      '}=punctuation.definition.interpolation.end',
    ]);
    // what the host grammar scopes stays: keys are still tags, plain text still a plain scalar
    assert.ok(lines[0][0].scopes.includes('entity.name.tag.yaml'), JSON.stringify(lines[0][0]));
    const plain = lines[17].find((t) => t.text.includes('lain'));
    assert.ok(plain?.scopes.includes('string.unquoted.plain.out.yaml'), JSON.stringify(lines[17]));
  });

  it('works the same on the YAML grammar VS Code ships (tm-grammars, a dev dependency)', async function () {
    const file = path.join(PROJECT_ROOT, 'node_modules', 'tm-grammars', 'grammars', 'yaml.json');
    if (!fs.existsSync(file)) this.skip();
    const lines = tokenize(await registryFor(JSON.parse(fs.readFileSync(file, 'utf8')) as IRawGrammar), SAMPLE);
    assert.deepEqual(ours(lines[2]).slice(0, 4), [
      '${=punctuation.definition.interpolation.begin',
      'oc.env=entity.name.function.resolver',
      ':=punctuation.separator.resolver',
      'DATA_DIR=string.unquoted.argument',
    ]);
    assert.equal(ours(lines[3]).filter((t) => t.endsWith('interpolation.begin')).length, 2);
    assert.deepEqual(ours(lines[4]), ['\\${=constant.character.escape.interpolation']);
    assert.deepEqual(ours(lines[7]), ['???=constant.language.missing-value']);
    assert.deepEqual(ours(lines[8]), []);
    assert.deepEqual(ours(lines[9]), ['_target_=keyword.other.target']);
    assert.deepEqual(ours(lines[10]), []);
    assert.deepEqual(ours(lines[11]), []);
    assert.ok(
      ours(lines[17]).includes('x=variable.other.property.node-path') && !ours(lines[17]).includes('y=variable.other.property.node-path'),
      ours(lines[17]).join(' '),
    );
  });
});

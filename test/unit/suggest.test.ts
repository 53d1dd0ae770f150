import * as assert from 'node:assert/strict';
import { closest, editDistance, suggestionDistance, suggestionLimit } from '../../server/src/engine/text/suggest';

describe('"did you mean": the one policy (text/suggest.ts)', () => {
  it('counts insert, delete, substitute and a swap of neighbours as one edit each', () => {
    assert.equal(editDistance('cache', 'cache'), 0);
    assert.equal(editDistance('cahce', 'cache'), 1); // swap
    assert.equal(editDistance('dep', 'deps'), 1); // insert
    assert.equal(editDistance('metrix', 'metrics'), 2); // substitute + insert
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('Cache', 'cache'), 1, 'the distance itself is case-sensitive; the policy folds case');
  });

  it('allows one edit per three letters of the word, at most 3, none below three letters', () => {
    assert.deepEqual(
      ['x', 'lr', 'dep', 'seeds', 'metrix', 'resnett', 'lrate_max', 'train.lrate', 'a_very_long_key_name'].map(suggestionLimit),
      [0, 0, 1, 1, 2, 2, 3, 3, 3],
    );
  });

  it('suggests typos every family meets', () => {
    assert.equal(closest('cahce', ['cache', 'persist', 'remote']), 'cache');
    assert.equal(closest('defualt', ['default', 'type']), 'default');
    assert.equal(closest('dep', ['cmd', 'deps', 'outs']), 'deps');
    assert.equal(closest('mnst', ['mnist', 'cifar10']), 'mnist');
    assert.equal(closest('train.lrate', ['train.lr', 'train.epochs']), 'train.lr');
    assert.equal(closest('loguniform', ['log_uniform', 'uniform', 'q_log_uniform']), 'log_uniform');
    assert.equal(closest('entrypoints', ['name', 'entry_points', 'conda_env']), 'entry_points');
  });

  it('counts a name cut short or run on as one edit when the shorter has 4+ letters and half the length', () => {
    assert.equal(suggestionDistance('bayesian', 'bayes'), 1);
    assert.equal(closest('bayesian', ['grid', 'random', 'bayes']), 'bayes');
    assert.equal(closest('metric', ['metrics', 'method']), 'metrics');
    assert.equal(suggestionDistance('seed', 'seed_value'), 6, 'a 4-letter prefix of a 10-letter name is not a typo');
    assert.equal(suggestionDistance('opt', 'optimizer'), 6, 'nor a 3-letter one');
  });

  it('folds case: a name differing only in case is the best suggestion, even for a short word', () => {
    assert.equal(closest('LR', ['lr', 'bs']), 'lr');
    assert.equal(closest('Deps', ['deps', 'dep']), 'deps');
  });

  it('never suggests the word itself, and picks the nearest, the first on a tie', () => {
    assert.equal(closest('deps', ['deps']), undefined);
    assert.equal(closest('deps', ['deps', 'desp']), 'desp');
    assert.equal(closest('outz', ['outs', 'out', 'outx']), 'outs');
  });

  it('must not suggest an unrelated name: a short key, two edits in five letters, a long unrelated word', () => {
    assert.equal(closest('lr', ['bs', 'wd']), undefined, 'two-letter keys are all two edits apart');
    assert.equal(closest('x', ['y', 'z']), undefined);
    assert.equal(closest('seed', ['lr', 'epochs', 'batch_size']), undefined);
    assert.equal(closest('depth', ['delta', 'width']), undefined, 'two edits in a five-letter word is another word');
    assert.equal(closest('seeds', ['lr', 'seed_value', 'sed']), undefined);
    assert.equal(closest('optimizer', ['scheduler', 'callbacks']), undefined);
    assert.equal(closest('anything', []), undefined);
  });
});

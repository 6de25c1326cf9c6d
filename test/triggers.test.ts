// The one-pass trigger scan (server/src/triggers.ts) must give, for every rule and every text,
// exactly what testing the rule's own trigger gives: it decides which rules run at all.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules } from '../rules';
import type { Rule } from '../rules/kit/rule';
import { matchingTriggers } from '../server/src/triggers';
import { FIXTURES, ROOT, sourceFiles } from './harness/fixtures';


function oneByOne(rules: readonly Rule[], text: string): string[] {
  return rules.filter((r) => r.triggers && new RegExp(r.triggers.source, r.triggers.flags).test(text)).map((r) => r.id).sort();
}

function onePass(rules: readonly Rule[], text: string): string[] {
  return [...matchingTriggers(rules, text)].map((r) => r.id).sort();
}

describe('text triggers in one pass', () => {
  it('agree with each trigger on every fixture and sample-app file', () => {
    const files = [...sourceFiles(FIXTURES), ...sourceFiles(path.join(ROOT, 'sample-app'))];
    assert.ok(files.length > 100, `only ${files.length} files`);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.deepStrictEqual(onePass(allRules, text), oneByOne(allRules, text), path.relative(ROOT, f));
    }
  });

  it('agree on short texts where triggers overlap, share a start or sit at the edges', () => {
    // Words several triggers contain, run together or cut short, so that one trigger's match
    // starts where, or inside where, another's does.
    const words = ['session', 'sessionStorage', 'token', 'jwt', 'jsonwebtoken', 'pass', 'PASSWORD', 'pwd', 'cors', 'CORS', 'fetch',
      'request', 'http.get', 'ky', 'httpx', 'node-cron', "'cron'", 'setInterval', 'delete', 'DELETE', '.del (', 'Promise.all', 'gather',
      'WHERE', 'join', '.get(', 'hook', 'type', 'select', 'catch', 'except', 'random', '!=', 'cookie', 'eval', 'multer', 'login', 'balance',
      'pending', 'body', 'openai', 'x', ' ', '\n', '.'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(next() * 6);
      let text = '';
      for (let k = 0; k < n; k++) {
        const w = words[Math.floor(next() * words.length)];
        // Sometimes only part of a word, sometimes glued to the next one.
        text += next() < 0.3 ? w.slice(0, Math.max(1, Math.floor(next() * w.length))) : w;
        if (next() < 0.5) text += ' ';
      }
      assert.deepStrictEqual(onePass(allRules, text), oneByOne(allRules, text), JSON.stringify(text));
    }
  });

  it('agree on long texts, with trigger words deep in them', () => {
    // Words around the 4,096th character, behind filler of word characters (for \b) or of
    // punctuation, after which more text follows.
    const words = ['session', 'ky', 'pwd', 'cors', "'cron'", '.del (', 'Promise.all', 'http.get', 'jwt', 'catch', '!=', 'WHERE', 'token'];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 400; i++) {
      const fill = next() < 0.5 ? 'a' : '.';
      const word = words[Math.floor(next() * words.length)];
      const at = 4096 - 12 + Math.floor(next() * 24);
      const after = next() < 0.5 ? '' : ` ${words[Math.floor(next() * words.length)]}`;
      const text = fill.repeat(at) + word + (next() < 0.5 ? fill : ' ').repeat(3) + after + fill.repeat(Math.floor(next() * 200));
      assert.deepStrictEqual(onePass(allRules, text), oneByOne(allRules, text), `${word} at ${at} in ${fill}`);
    }
    // A word that more word characters follow is no whole word (`\bky\b`, `\bdelete\b`).
    for (const w of ['ky', 'delete', 'where', 'join']) {
      const text = `${'.'.repeat(4096 - w.length)}${w}abc${'.'.repeat(50)}`;
      assert.deepStrictEqual(onePass(allRules, text), oneByOne(allRules, text), `${w} followed by word characters`);
    }
  });

  it('treats triggers it cannot join (other flags, group references) one by one', () => {
    const base = allRules[0];
    const odd: Rule[] = [
      { ...base, id: 'multiline', triggers: /^secret$/m },
      { ...base, id: 'backref', triggers: /(["'])key\1/ },
      { ...base, id: 'named', triggers: /(?<q>["'])tok\k<q>/ },
      { ...base, id: 'plain', triggers: /key/ },
    ];
    assert.deepStrictEqual(onePass(odd, 'x\nsecret\n"key"'), ['backref', 'multiline', 'plain']);
    assert.deepStrictEqual(onePass(odd, "'tok'"), ['named']);
    assert.deepStrictEqual(onePass(odd, 'nothing here'), []);
    // The same in a long text, with an end anchor and a lookahead among them.
    const long = 'x'.repeat(5000);
    assert.deepStrictEqual(onePass(odd, `${long}\nsecret\n"key"`), ['backref', 'multiline', 'plain']);
    assert.deepStrictEqual(onePass([...odd, { ...base, id: 'ends', triggers: /key$/ }, { ...base, id: 'ahead', triggers: /ke(?=y\b)/ }], `${'x'.repeat(4093)} key keyz`), ['ahead', 'plain']);
  });
});

import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { isConstant, stringParts } from '../kit/model/values';
import { isClosedString } from '../kit/model/closed';
import { isOperatorValue } from '../kit/frameworks/config-values';
import { taintOf } from '../kit/frameworks/taint';
import { excerpt } from '../kit/frameworks/redact';
import { isScriptFile } from '../kit/frameworks/per-request';
import { routes } from '../kit/frameworks/routes';
import { codeSink, type CodeSink } from './code-injection.sinks';
import { produceFix, whyNoFix } from './code-injection.fix';

const messages = {
  code: '{sink} runs code built from {source} ({value}): whoever controls the value runs their own code on the server',
  shell: '{sink} runs a shell command line built from {source} ({value}): shell syntax in the value (;, |, $(...)) runs its own commands',
  deserialize: '{sink} loads request data ({value}): a crafted payload runs code while it loads',
};

export default defineRule({
  id: 'code-injection',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 94,
  securitySeverity: 9.8,
  triggers: /eval|Function|vm|setTimeout|setInterval|child_process|exec|spawn|system|popen|subprocess|pickle|yaml|marshal|dill|getoutput/,
  docs: {
    summary: 'Text that is not fixed by the source runs as code or as a shell command: eval, new Function, vm, string timers, exec and shell=True, unsafe deserialisers on request data',
    why: 'Assistants reach for `eval()` "for convenience" to parse a payload or compute an expression, and for `exec(`convert ${file} ...`)` to call a tool. Whatever the value holds runs with the server\'s rights: a `;` or `$(...)` in a file name runs a second command, a JSON field holding `process.exit()` or `require("child_process")...` runs in the app, and `pickle.loads` or `yaml.load` of a request body builds any object the attacker names, running code while it loads.',
    fix: 'Use execFile with arguments: a command line built from constant text and values becomes the program and an argument array (`execFile(\'convert\', [input, output])`, `subprocess.run([...])` without `shell=True`, `os.system` → `subprocess.run`), so a value is one argument and never shell syntax; commands that use pipes, redirects or globs get no fix (they need a shell: move the values into arguments of a script). Use JSON.parse where eval parses JSON data (`ast.literal_eval` in Python, which accepts literals only), `yaml.safe_load` for `yaml.load`, and a spawn loses its `shell: true`. The fix is unsafe: input that only eval accepted (JavaScript object syntax, expressions) is now rejected, and a value holding spaces is one argument instead of several.',
    examples: {
      js: {
        bad: "const { exec } = require('child_process');\napp.post('/thumbnail', (req, res) => {\n  exec(`convert ${req.body.file} -resize 200x200 thumb.png`, (err) => res.sendStatus(err ? 500 : 204));\n});\n",
        good: "const { execFile } = require('child_process');\napp.post('/thumbnail', (req, res) => {\n  execFile('convert', [req.body.file, '-resize', '200x200', 'thumb.png'], (err) => res.sendStatus(err ? 500 : 204));\n});\n",
      },
      py: {
        bad: "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.post('/ping')\ndef ping():\n    host = request.form['host']\n    return subprocess.check_output(f'ping -c 1 {host}', shell=True)\n",
        good: "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.post('/ping')\ndef ping():\n    host = request.form['host']\n    return subprocess.check_output(['ping', '-c', '1', host])\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const sink = codeSink(model, call);
        if (!sink) return;
        const risky = riskyValues(model, sink);
        if (!risky.length) return;
        const request = risky.some((n) => taintOf(model, n) === 'request');
        if (sink.requestOnly && !request) return;
        // A script run from a terminal gets its values from whoever runs it: the same person.
        if (!request && isScriptFile(model)) return;
        // A helper that runs the command line its caller hands it (`run(cmd)`) splices nothing in:
        // whether that is an injection depends on the callers, where request data would show.
        if (!request && (sink.kind === 'shell' || sink.kind === 'spawn-shell') && !isInterpolated(model, sink.code[0])) return;
        // Browser code compiling the app's own modules runs in the visitor's page, not on the
        // server; only request data makes it an injection there.
        if (!request && isBrowserCode(model)) return;
        const template = sink.kind === 'deserialize' ? messages.deserialize : sink.kind === 'shell' || sink.kind === 'spawn-shell' ? messages.shell : messages.code;
        const at = sink.code[0];
        report({
          node: at,
          message: format(template, { sink: sink.name, source: request ? 'request data' : 'a non-constant value', value: excerpt(model, risky[0]) }),
          data: { call: [call.start, call.end], fixTitle: fixTitleFor(model, sink) },
          severity: request ? undefined : 'warning',
          noFix: whyNoFix(model, sink) ?? false,
        });
      },
    };
  },
  fix: {
    title: (f) => (f.data?.fixTitle as string | undefined) ?? 'Use execFile with arguments',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const sink = call && codeSink(ctx.model, call);
      return sink ? produceFix(ctx.model, sink) : undefined;
    },
  },
});

/** The values in a sink's code arguments that neither the source nor the operator fixes. */
function riskyValues(model: CodeModel, sink: CodeSink): ir.Node[] {
  const out: ir.Node[] = [];
  for (const arg of sink.code) {
    const build = stringParts(model, arg);
    if (build) {
      for (const p of build.parts) if (p.kind === 'dyn' && !isClosedString(model, p.node) && !isOperatorValue(model, p.node)) out.push(p.node);
      continue;
    }
    // A string timer is the only risky timer: a function reference is code the source wrote.
    if (sink.kind === 'timer') continue;
    if (isConstant(model, arg) || isClosedString(model, arg) || isOperatorValue(model, arg)) continue;
    if (ir.unwrap(arg).type === 'Func') continue;
    out.push(arg);
  }
  return out;
}

function fixTitleFor(model: CodeModel, sink: CodeSink): string {
  switch (sink.kind) {
    case 'eval': return model.lang === 'py' ? 'Use ast.literal_eval' : 'Use JSON.parse';
    case 'deserialize': return 'Use yaml.safe_load';
    case 'spawn-shell': return 'Run without a shell';
    default:
      if (model.lang === 'js') return 'Use execFile with arguments';
      return sink.name === 'os.system' ? 'Use subprocess.run with arguments' : 'Run without shell=True, with arguments';
  }
}

/** A file that uses the page's globals (window, document) and registers no routes. */
function isBrowserCode(model: CodeModel): boolean {
  return model.cached('codeInjection:browser', () => model.lang === 'js' && routes(model).length === 0
    && ['window', 'document'].some((g) => model.identsNamed(g).some((id) => !model.resolve(id))));
}

/** Constant command text with values spliced in (a template, concatenation or format), not a bare value. */
function isInterpolated(model: CodeModel, n: ir.Node): boolean {
  const build = stringParts(model, n);
  return !!build && build.parts.some((p) => p.kind === 'const' && p.text.trim() !== '') && build.parts.some((p) => p.kind === 'dyn');
}

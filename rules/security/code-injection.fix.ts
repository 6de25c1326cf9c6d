// The fixes of code-injection: a shell command line becomes a program and an argument list
// (execFile / subprocess without a shell), eval of JSON becomes JSON.parse (ast.literal_eval in
// Python), yaml.load becomes yaml.safe_load, and spawn loses its shell option.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { stringParts, type StringBuild, type StringPart } from '../kit/model/values';
import { statementLines, statementOf } from '../kit/fixes/stmt-edits';
import { jsString, pyString, quoteStyleOf, src } from '../kit/model/literals';
import { addPyImport } from '../kit/fixes/py-imports';
import { spawnShellProp, type CodeSink } from './code-injection.sinks';

type Token = StringPart[];

/** Characters the shell gives a meaning outside quotes; a command using them needs a shell. */
const SHELL_SYNTAX = /[|&;<>()$`\\*?[\]{}~#!\n]/;
/** Inside double quotes the shell still expands these. */
const DQ_SYNTAX = /[$`\\!]/;

/**
 * Splits a command line built from constant text and values into argv the way the shell would
 * before expansion, or says why it cannot: shell syntax (pipes, redirects, globs, variables) in
 * the constant text, or a program name that is itself a value.
 */
export function commandArgv(model: CodeModel, parts: StringPart[]): { argv: Token[] } | { reason: string } {
  const argv: Token[] = [];
  let cur: Token | undefined;
  let quote: '"' | "'" | undefined;
  const push = (p: StringPart) => {
    cur ??= [];
    const last = cur[cur.length - 1];
    if (p.kind === 'const' && last?.kind === 'const') last.text += p.text;
    else cur.push(p.kind === 'const' ? { kind: 'const', text: p.text } : p);
  };
  for (const p of parts) {
    if (p.kind === 'dyn') {
      if (p.spec && !/^(%s|\{\}|)$/.test(p.spec)) return { reason: `the value ${src(model, p.node)} is formatted (${p.spec}) inside the command` };
      if (model.lang === 'py' && pyFormatted(model, p.node)) return { reason: `the value ${src(model, p.node)} carries a format spec inside the command` };
      push(p);
      continue;
    }
    for (const ch of p.text) {
      if (quote) {
        if (ch === quote) { quote = undefined; cur ??= []; continue; }
        if (quote === '"' && DQ_SYNTAX.test(ch)) return { reason: `the command uses shell expansion (${ch}) inside double quotes` };
        push({ kind: 'const', text: ch });
        continue;
      }
      if (ch === '"' || ch === "'") { quote = ch; cur ??= []; continue; }
      if (/\s/.test(ch) && ch !== '\n') { if (cur) argv.push(cur); cur = undefined; continue; }
      if (SHELL_SYNTAX.test(ch)) return { reason: `the command uses shell syntax (${ch === '\n' ? 'a newline' : ch}): it needs a shell, so pass the values as arguments of a script instead` };
      push({ kind: 'const', text: ch });
    }
  }
  if (quote) return { reason: 'the command has an unclosed quote' };
  if (cur) argv.push(cur);
  if (!argv.length) return { reason: 'the command is empty' };
  if (argv[0].some((t) => t.kind === 'dyn')) return { reason: 'the program to run is itself a value' };
  return { argv };
}

/** An f-string interpolation with a conversion or format spec (`{x!r}`, `{n:05}`). */
function pyFormatted(model: CodeModel, n: ir.Node): boolean {
  return /^\s*[!:]/.test(model.text.slice(n.end, n.end + 20)) && ir.unwrap(n.parent ?? n).type === 'Template';
}

function jsToken(model: CodeModel, t: Token, quote: string): string {
  if (t.length === 0) return jsString('', quote);
  if (t.length === 1) return t[0].kind === 'const' ? jsString(t[0].text, quote) : src(model, t[0].node);
  return '`' + t.map((p) => (p.kind === 'const' ? p.text.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${') : '${' + src(model, p.node) + '}')).join('') + '`';
}

function pyToken(model: CodeModel, t: Token, like: ir.Node): string {
  const style = quoteStyleOf(model, like);
  const plain = { quote: style.quote, prefix: '', triple: false };
  if (t.length === 0) return pyString('', plain);
  if (t.length === 1) {
    if (t[0].kind === 'const') return pyString(t[0].text, plain);
    const u = ir.unwrap(t[0].node);
    // subprocess takes str arguments only; the f-string made any value one.
    return u.type === 'Str' || u.type === 'Template' || (u.type === 'Call' && ir.dottedName(u.callee) === 'str') ? src(model, u) : `str(${src(model, u)})`;
  }
  const q = style.quote;
  return 'f' + q + t.map((p) => (p.kind === 'const' ? p.text.replace(/[{}]/g, '$&$&').replace(/\\/g, '\\\\').split(q).join('\\' + q) : '{' + src(model, p.node) + '}')).join('') + q;
}

/** Why no fix applies to this sink, or undefined when `produceFix` will write one. */
export function whyNoFix(model: CodeModel, sink: CodeSink): string | undefined {
  switch (sink.kind) {
    case 'eval':
      if (model.lang === 'py') return undefined;
      return jsonSource(model, sink.code[0]) ? undefined : 'the evaluated text is code, not JSON data: compute the result in code, or run it in an isolated process';
    case 'exec': return 'exec runs statements: replace it with the code it runs, chosen from a fixed set';
    case 'function': return 'new Function compiles code: build the function in code, chosen from a fixed set';
    case 'vm': return 'the vm module is not a security boundary: run untrusted code in an isolated process, or not at all';
    case 'timer': return 'pass a function instead of a string of code';
    case 'deserialize':
      if (/^yaml\./.test(sink.name)) return sink.call.callee.type === 'Member' ? undefined : 'the loader is imported by name: call yaml.safe_load instead';
      return `${sink.name.split('.')[0]} runs code while it loads, whatever the check around it: accept JSON from clients instead`;
    case 'spawn-shell': {
      const second = sink.call.args[1] && ir.unwrap(sink.call.args[1]);
      const first = ir.unwrap(sink.call.args[0]);
      if (first.type !== 'Str' || second?.type !== 'ArrayLit') return 'the command line is one string: split it into the program and an argument array';
      return spawnShellProp(model, sink.call) && shellPropRemovable(model, sink.call) ? undefined : 'the shell option sits in an options object defined elsewhere';
    }
    case 'shell': return shellNoFix(model, sink);
  }
}

function shellNoFix(model: CodeModel, sink: CodeSink): string | undefined {
  if (sink.promisified) return `${sink.name} is a promisified exec: promisify execFile instead and pass the arguments as an array`;
  if (/getstatusoutput|create_subprocess_shell/.test(sink.name)) return `rewrite ${sink.name} as subprocess.run([...], capture_output=True, text=True)`;
  if (sink.name === 'os.popen' && !popenRead(sink.call)) return 'the os.popen pipe is used as a file, not read once: rewrite it as subprocess.run([...], capture_output=True, text=True)';
  const arg = ir.positional(sink.call)[0] ?? sink.call.args[0];
  const u = ir.unwrap(arg);
  if (u !== ir.unwrap(sink.code[0])) return 'the command line is the first item of a list run by the shell';
  const build = stringParts(model, u);
  if (!build || !build.expr || build.how === 'augmented' || build.how === 'replace' || build.how === 'other') return 'the command line is built elsewhere: pass the program and its arguments as a list where it is built';
  if (build.via) {
    const via = inlinableVia(model, build, sink.call);
    if (typeof via === 'string') return via;
  }
  if (build.parts.some((p) => p.kind === 'dyn' && !ir.isInside(p.node, build.expr!))) return 'a part of the command line is built elsewhere';
  const argv = commandArgv(model, build.parts);
  if ('reason' in argv) return argv.reason;
  if (model.lang === 'js' && ir.unwrap(sink.call.callee).type === 'Ident' && !execFileImportable(model, sink.call.callee as ir.Ident)) return 'exec is not imported from child_process by name in this file';
  return undefined;
}

/**
 * A command line built in a variable used only by this call (`const cmd = `...`; exec(cmd)`): the
 * declaration's lines, which the fix removes when it writes the argument list into the call.
 */
function inlinableVia(model: CodeModel, build: StringBuild, call: ir.Call): { start: number; end: number } | string {
  const via = build.via!;
  const b = model.resolve(via);
  const assign = b?.kind === 'var' && b.assigns.length === 1 ? b.assigns[0] : undefined;
  if (!b || !assign || assign.target.type !== 'Ident' || !assign.value || ir.unwrap(assign.value) !== build.expr) return `${via.name} is assigned more than once`;
  if (model.scopeOf(assign) !== model.scopeOf(call) || assign.start > call.start) return `${via.name} is built in another function than the call`;
  const uses = model.identsNamedIn(via.name, b.scope).filter((id) => id !== assign.target && model.resolve(id) === b);
  if (uses.length !== 1 || uses[0] !== via) return `${via.name} is used elsewhere too (a log line?): build the argument list where it is declared`;
  const pure = (n: ir.Node): boolean => { const u = ir.unwrap(n); return u.type === 'Ident' || u.type === 'Str' || u.type === 'Num' || (u.type === 'Member' && pure(u.object)) || (u.type === 'Index' && pure(u.object) && pure(u.index)); };
  if (build.parts.some((p) => p.kind === 'dyn' && !pure(p.node))) return `a value in ${via.name} is computed where it is declared`;
  const stmt = statementOf(assign);
  const lines = stmt === assign ? statementLines(model, assign) : undefined;
  return lines ?? `${via.name} is declared together with other names or on a line with other code`;
}

/** The JSON text eval parses: `eval(text)` or `eval('(' + text + ')')` of data named like JSON. */
export function jsonSource(model: CodeModel, n: ir.Node): ir.Node | undefined {
  const u = ir.unwrap(n);
  const b = stringParts(model, u);
  if (b && b.expr === u && b.how !== 'literal') {
    const dyn = b.parts.filter((p): p is Extract<StringPart, { kind: 'dyn' }> => p.kind === 'dyn');
    const text = b.parts.map((p) => (p.kind === 'const' ? p.text : '\u0000')).join('');
    if (dyn.length === 1 && /^\s*\(?\s*\u0000\s*\)?\s*;?\s*$/.test(text) && ir.isInside(dyn[0].node, u)) return jsonNamed(dyn[0].node) ? dyn[0].node : undefined;
    return undefined;
  }
  return jsonNamed(u) ? u : undefined;
}

const JSON_NAME = /json|data|body|payload|response|result|text|raw|content|config|settings|options|params|obj|object|state|str(ing)?$|^(s|str)$/i;

function jsonNamed(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Ident') return JSON_NAME.test(u.name);
  if (u.type === 'Member') return JSON_NAME.test(u.prop);
  if (u.type === 'Index') return jsonNamed(u.object);
  if (u.type === 'Call') return /^(text|toString|readFileSync|readFile|getItem)$/.test(ir.calleeName(u) ?? '') || JSON_NAME.test(ir.calleeName(u) ?? '');
  return false;
}

function execFileImportable(model: CodeModel, callee: ir.Ident): boolean {
  const b = model.resolve(callee);
  if (!b || b.kind !== 'import' && b.kind !== 'var') return false;
  if (b.kind === 'import') return !!b.node && (b.node as ir.Import).names.every((n) => n.imported !== '*' && n.imported !== 'default') && /\{[^}]*\}/.test(model.text.slice(b.node.start, b.node.end));
  const a = b.node;
  return a.type === 'Assign' && a.target.type === 'ObjectLit';
}

function shellPropRemovable(model: CodeModel, c: ir.Call): boolean {
  const p = spawnShellProp(model, c);
  return !!p && c.args.some((a) => ir.unwrap(a) === p.parent);
}

export function produceFix(model: CodeModel, sink: CodeSink): FixResult | undefined {
  if (whyNoFix(model, sink)) return undefined;
  switch (sink.kind) {
    case 'eval': return model.lang === 'py' ? literalEval(model, sink) : jsonParse(model, sink);
    case 'deserialize': return safeLoad(model, sink);
    case 'spawn-shell': return dropShellOption(model, sink);
    case 'shell': return model.lang === 'py' ? pyArgv(model, sink) : jsExecFile(model, sink);
    default: return undefined;
  }
}

function jsonParse(model: CodeModel, sink: CodeSink): FixResult | undefined {
  const text = jsonSource(model, sink.code[0]);
  if (!text) return undefined;
  const c = sink.call;
  return { edits: [{ start: c.start, end: c.end, newText: `JSON.parse(${src(model, text)})` }], title: 'Use JSON.parse' };
}

function literalEval(model: CodeModel, sink: CodeSink): FixResult {
  const edits: TextEdit[] = [];
  const ast = addPyImport(model, edits, 'import ast', 'ast');
  edits.push({ start: sink.call.callee.start, end: sink.call.callee.end, newText: `${ast}.literal_eval` });
  return { edits, title: 'Use ast.literal_eval' };
}

function safeLoad(model: CodeModel, sink: CodeSink): FixResult | undefined {
  const c = sink.call;
  const callee = c.callee;
  const all = /_all$/.test(sink.name);
  const newName = all ? 'safe_load_all' : 'safe_load';
  const edits: TextEdit[] = [];
  if (callee.type === 'Member') edits.push({ start: callee.propStart, end: callee.end, newText: newName });
  else return undefined;
  // safe_load takes no Loader: drop the keyword (or the second positional argument).
  const loader = c.args.find((a) => a.type === 'Keyword' && a.name === 'Loader') ?? ir.positional(c)[1];
  if (loader) {
    const i = c.args.indexOf(loader);
    edits.push({ start: c.args[i - 1].end, end: loader.end, newText: '' });
  }
  return { edits, title: 'Use yaml.safe_load' };
}

function dropShellOption(model: CodeModel, sink: CodeSink): FixResult | undefined {
  const c = sink.call;
  const p = spawnShellProp(model, c)!;
  const obj = p.parent as ir.ObjectLit;
  if (obj.props.length === 1) {
    const i = c.args.findIndex((a) => ir.unwrap(a) === obj);
    return { edits: [{ start: c.args[i - 1].end, end: c.args[i].end, newText: '' }], title: 'Run without a shell' };
  }
  const i = obj.props.indexOf(p);
  const edit = i < obj.props.length - 1
    ? { start: p.start, end: obj.props[i + 1].start, newText: '' }
    : { start: obj.props[i - 1].end, end: p.end, newText: '' };
  return { edits: [edit], title: 'Run without a shell' };
}

function jsExecFile(model: CodeModel, sink: CodeSink): FixResult | undefined {
  const c = sink.call;
  const arg = c.args[0];
  const build = stringParts(model, arg)!;
  const argv = commandArgv(model, build.parts);
  if ('reason' in argv) return undefined;
  const quote = quoteStyleOf(model, build.expr!).quote;
  const q = /['"]/.test(quote) ? quote : "'";
  const [file, ...rest] = argv.argv;
  const sync = /Sync$/.test(sink.name);
  const fnName = sync ? 'execFileSync' : 'execFile';
  const edits: TextEdit[] = [];
  const callee = c.callee;
  if (callee.type === 'Member') edits.push({ start: callee.propStart, end: callee.end, newText: fnName });
  else if (callee.type === 'Ident') {
    const local = importExecFile(model, callee, fnName, edits);
    if (!local) return undefined;
    edits.push({ start: callee.start, end: callee.end, newText: local });
  }
  edits.push({ start: arg.start, end: arg.end, newText: `${jsToken(model, file, q)}, [${rest.map((t) => jsToken(model, t, q)).join(', ')}]` });
  dropVia(model, build, c, edits);
  return { edits, title: 'Use execFile with arguments' };
}

/** `os.popen(cmd).read()`: the read call, when the pipe is read once right away. */
function popenRead(c: ir.Call): ir.Call | undefined {
  const m = c.parent;
  const read = m?.type === 'Member' && m.object === c && m.prop === 'read' ? m.parent : undefined;
  return read?.type === 'Call' && read.callee === m && read.args.length === 0 ? read : undefined;
}

/** Removes the declaration of a command variable whose text moved into the call. */
function dropVia(model: CodeModel, build: StringBuild, call: ir.Call, edits: TextEdit[]): void {
  if (!build.via) return;
  const lines = inlinableVia(model, build, call);
  if (typeof lines !== 'string') edits.push({ start: lines.start, end: lines.end, newText: '' });
}

/** Adds `execFile` next to the `exec` import or destructuring; returns the local name to call. */
function importExecFile(model: CodeModel, callee: ir.Ident, fnName: string, edits: TextEdit[]): string | undefined {
  const known = model.moduleOf(fnName);
  if (known && /child_process$/.test(known.module) && known.imported === fnName) return fnName;
  if (model.resolve(fnName, callee)) return undefined;
  const b = model.resolve(callee)!;
  // The only use of `exec` was this call: the import names execFile instead.
  const otherUses = model.identsNamed(callee.name).some((id) => id !== callee && !ir.isInside(id, b.node));
  if (!otherUses) {
    if (b.kind === 'import') {
      const text = model.text.slice(b.node.start, b.node.end);
      const m = new RegExp(`([{,]\\s*)${callee.name}(\\s*[,}])`).exec(text);
      if (!m) return undefined;
      const at = b.node.start + m.index + m[1].length;
      edits.push({ start: at, end: at + callee.name.length, newText: fnName });
      return fnName;
    }
    const prop = ((b.node as ir.Assign).target as ir.ObjectLit).props.find((p): p is ir.Prop => p.type === 'Prop' && p.shorthand && p.key === callee.name);
    if (prop) {
      edits.push({ start: prop.start, end: prop.end, newText: fnName });
      return fnName;
    }
  }
  if (b.kind === 'import') {
    const text = model.text.slice(b.node.start, b.node.end);
    const close = text.lastIndexOf('}');
    const before = text.slice(0, close).replace(/\s+$/, '');
    const at = b.node.start + before.length;
    edits.push({ start: at, end: at, newText: (before.endsWith(',') ? ' ' : ', ') + fnName });
    return fnName;
  }
  const target = (b.node as ir.Assign).target as ir.ObjectLit;
  const last = target.props[target.props.length - 1];
  edits.push({ start: last.end, end: last.end, newText: `, ${fnName}` });
  return fnName;
}

function pyArgv(model: CodeModel, sink: CodeSink): FixResult | undefined {
  const c = sink.call;
  const arg = ir.positional(c)[0];
  const build = stringParts(model, arg)!;
  const argv = commandArgv(model, build.parts);
  if ('reason' in argv) return undefined;
  const list = `[${argv.argv.map((t) => pyToken(model, t, build.expr!)).join(', ')}]`;
  const edits: TextEdit[] = [];
  dropVia(model, build, c, edits);
  if (sink.name === 'os.system') {
    const sp = addPyImport(model, edits, 'import subprocess', 'subprocess');
    edits.push({ start: c.callee.start, end: c.callee.end, newText: `${sp}.run` });
    edits.push({ start: arg.start, end: arg.end, newText: list });
    // os.system answers the exit status; run() answers a CompletedProcess that carries it.
    if (c.parent?.type !== 'ExprStmt') edits.push({ start: c.end, end: c.end, newText: '.returncode' });
    return { edits, title: 'Use subprocess.run with arguments' };
  }
  if (sink.name === 'os.popen' || sink.name === 'subprocess.getoutput') {
    const sp = addPyImport(model, edits, 'import subprocess', 'subprocess');
    // popen(...).read() is the command's stdout; getoutput adds stderr and drops one trailing newline.
    const read = sink.name === 'os.popen' ? popenRead(c)! : c;
    const run = sink.name === 'os.popen'
      ? `${sp}.run(${list}, capture_output=True, text=True).stdout`
      : `${sp}.run(${list}, stdout=${sp}.PIPE, stderr=${sp}.STDOUT, text=True).stdout.removesuffix("\\n")`;
    edits.push({ start: read.start, end: read.end, newText: run });
    return { edits, title: 'Use subprocess.run with arguments' };
  }
  edits.push({ start: arg.start, end: arg.end, newText: list });
  const shell = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'shell')!;
  const i = c.args.indexOf(shell);
  edits.push({ start: c.args[i - 1].end, end: shell.end, newText: '' });
  return { edits, title: 'Run without shell=True, with arguments' };
}

// Where text becomes code or a shell command: eval and its relatives, shells run by
// child_process / subprocess / os, and deserialisers that run code while they load. Each sink
// names the argument that carries the code and whether only request data makes it dangerous.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';

export type SinkKind = 'eval' | 'exec' | 'function' | 'vm' | 'timer' | 'shell' | 'spawn-shell' | 'deserialize';

export interface CodeSink {
  kind: SinkKind;
  call: ir.Call;
  /** How messages name the call: `eval`, `execSync`, `subprocess.run`, `pickle.loads`. */
  name: string;
  /** The arguments that carry code or a command. */
  code: ir.Node[];
  /** Deserialisers only run code from a crafted payload: only request data counts there. */
  requestOnly: boolean;
  /** child_process calls reached through `util.promisify(exec)`. */
  promisified?: boolean;
}

const CHILD_PROCESS = /^(node:)?child_process$/;
const VM = /^(node:)?vm$/;
const SHELL_CP = /^(exec|execSync)$/;
const SPAWN_CP = /^(spawn|spawnSync|execFile|execFileSync)$/;
const VM_RUN = /^(runInNewContext|runInThisContext|runInContext|compileFunction)$/;
const PY_SUBPROCESS = /^(run|call|check_call|check_output|Popen)$/;
const PY_SHELL_ALWAYS = /^(os\.system|os\.popen|subprocess\.getoutput|subprocess\.getstatusoutput|asyncio\.create_subprocess_shell)$/;

export function codeSink(model: CodeModel, c: ir.Call): CodeSink | undefined {
  return model.lang === 'py' ? pySink(model, c) : jsSink(model, c);
}

/** The module a call's root name comes from, and the function imported under it. */
function origin(model: CodeModel, c: ir.Call): { module?: string; fn: string } {
  const callee = c.callee;
  if (callee.type === 'Ident') {
    const m = model.moduleOf(callee.name);
    return { module: m?.module, fn: m && m.imported !== '*' && m.imported !== 'default' ? m.imported : callee.name };
  }
  if (callee.type === 'Member') {
    const obj = ir.unwrap(callee.object);
    const root = obj.type === 'Ident' ? obj.name : undefined;
    return { module: root ? model.moduleOf(root)?.module : undefined, fn: callee.prop };
  }
  return { fn: '' };
}

/** A global the file does not rebind (`eval`, `Function`, `setTimeout`). */
function isGlobal(model: CodeModel, n: ir.Node, name: string): boolean {
  return n.type === 'Ident' && n.name === name && !model.resolve(n);
}

function jsSink(model: CodeModel, c: ir.Call): CodeSink | undefined {
  const callee = c.callee;
  const first = c.args[0];
  if (!first) return undefined;
  if (!c.isNew && (isGlobal(model, callee, 'eval') || ir.dottedName(callee) === 'window.eval' || ir.dottedName(callee) === 'globalThis.eval')) return { kind: 'eval', call: c, name: 'eval', code: [first], requestOnly: false };
  if (isGlobal(model, callee, 'Function')) return { kind: 'function', call: c, name: 'new Function', code: c.args, requestOnly: false };
  if (!c.isNew && (isGlobal(model, callee, 'setTimeout') || isGlobal(model, callee, 'setInterval'))) return { kind: 'timer', call: c, name: (callee as ir.Ident).name, code: [first], requestOnly: false };
  const o = origin(model, c);
  if (o.module && VM.test(o.module) && (VM_RUN.test(o.fn) || (c.isNew && o.fn === 'Script'))) return { kind: 'vm', call: c, name: c.isNew ? 'new vm.Script' : `vm.${o.fn}`, code: [first], requestOnly: false };
  if (c.isNew) return undefined;
  if (o.module && CHILD_PROCESS.test(o.module)) {
    if (SHELL_CP.test(o.fn)) return { kind: 'shell', call: c, name: o.fn, code: [first], requestOnly: false };
    if (SPAWN_CP.test(o.fn) && shellOption(model, c)) return { kind: 'spawn-shell', call: c, name: o.fn, code: argvNodes(c), requestOnly: false };
    return undefined;
  }
  // `const run = util.promisify(exec)` / `promisify(cp.exec)`: the promise form of the shell.
  if (callee.type === 'Ident' && model.cached('usesChildProcess', () => model.usesModule((m) => CHILD_PROCESS.test(m)))) {
    const v = model.valueOf(callee);
    const u = v && ir.unwrap(v);
    if (u?.type === 'Call' && ir.calleeName(u) === 'promisify' && u.args[0]) {
      const inner = origin(model, { type: 'Call', callee: ir.unwrap(u.args[0]), args: [], isNew: false, start: 0, end: 0 });
      if (inner.module && CHILD_PROCESS.test(inner.module) && SHELL_CP.test(inner.fn)) return { kind: 'shell', call: c, name: callee.name, code: [first], requestOnly: false, promisified: true };
    }
  }
  return undefined;
}

/** `{ shell: true }` (or any non-false shell option) among a spawn call's arguments. */
function shellOption(model: CodeModel, c: ir.Call): ir.Prop | undefined {
  for (const a of c.args) {
    const u = ir.unwrap(a);
    const o = u.type === 'Ident' ? model.valueOf(u) : u;
    if (o?.type !== 'ObjectLit') continue;
    const p = ir.propOf(o, 'shell');
    if (p && !(p.value.type === 'Lit' && (p.value.value === 'false' || p.value.value === 'undefined' || p.value.value === 'null'))) return p;
  }
  return undefined;
}

export function spawnShellProp(model: CodeModel, c: ir.Call): ir.Prop | undefined {
  return shellOption(model, c);
}

/** The command and the argument array of a spawn call (with a shell, the array is joined into the command line). */
function argvNodes(c: ir.Call): ir.Node[] {
  const out = [c.args[0]];
  const second = c.args[1] && ir.unwrap(c.args[1]);
  if (second?.type === 'ArrayLit') out.push(...second.elements);
  return out;
}

function pySink(model: CodeModel, c: ir.Call): CodeSink | undefined {
  const callee = c.callee;
  const first = ir.positional(c)[0];
  if (!first) return undefined;
  if (isGlobal(model, callee, 'eval')) return { kind: 'eval', call: c, name: 'eval', code: [first], requestOnly: false };
  if (isGlobal(model, callee, 'exec')) return { kind: 'exec', call: c, name: 'exec', code: [first], requestOnly: false };
  const o = origin(model, c);
  const qualified = `${o.module ?? ''}.${o.fn}`;
  if (PY_SHELL_ALWAYS.test(qualified)) return { kind: 'shell', call: c, name: qualified, code: [first], requestOnly: false };
  if (o.module === 'subprocess' && PY_SUBPROCESS.test(o.fn)) {
    const shell = ir.keywordArg(c, 'shell');
    if (!shell || (ir.unwrap(shell).type === 'Lit' && (ir.unwrap(shell) as ir.Lit).value !== 'true')) return undefined;
    // With a list and shell=True only the first element is the command line.
    const u = ir.unwrap(first);
    return { kind: 'shell', call: c, name: `subprocess.${o.fn}`, code: [u.type === 'ArrayLit' ? u.elements[0] ?? u : first], requestOnly: false };
  }
  if (/^(pickle|cPickle|_pickle|dill|marshal|jsonpickle)$/.test(o.module ?? '') && /^(loads|load|decode|Unpickler)$/.test(o.fn)) return { kind: 'deserialize', call: c, name: `${o.module}.${o.fn}`, code: [first], requestOnly: true };
  if (o.module === 'yaml' && (/^(unsafe_load|full_load|unsafe_load_all|full_load_all)$/.test(o.fn) || (/^(load|load_all)$/.test(o.fn) && !safeLoader(c)))) return { kind: 'deserialize', call: c, name: `yaml.${o.fn}`, code: [first], requestOnly: true };
  return undefined;
}

/** `yaml.load(text, Loader=yaml.SafeLoader)` (or CSafeLoader, BaseLoader) builds plain data only. */
function safeLoader(c: ir.Call): boolean {
  const loader = ir.keywordArg(c, 'Loader') ?? ir.positional(c)[1];
  if (!loader) return false;
  const name = ir.dottedName(loader) ?? '';
  return /(^|\.)(C?SafeLoader|BaseLoader)$/.test(name);
}

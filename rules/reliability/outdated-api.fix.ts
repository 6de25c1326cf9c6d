// The mechanical migrations of outdated-api: a renamed method, openai-python's module-level
// resources moved onto a client, LangChain's LLMChain as an LCEL pipeline.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { src } from '../kit/model/literals';
import { afterImports } from '../kit/fixes/module-top';
import { addPyFromImport } from '../kit/fixes/py-imports';
import type { MechanicalFix } from './outdated-api/data';

/** The call a finding sits on (the finding spans it). */
function callAt(model: CodeModel, start: number, end: number): ir.Call | undefined {
  return model.calls.find((c) => c.start === start && c.end === end);
}

/** The edits of a mechanical fix, or a reason the change is not mechanical here. */
export function planFix(model: CodeModel, call: ir.Call, fix: MechanicalFix): TextEdit[] | string {
  if (fix.kind === 'rename-method') {
    const callee = call.callee;
    if (callee.type !== 'Member') return 'the method is not called by name';
    return [{ start: callee.propStart, end: callee.propStart + callee.prop.length, newText: fix.to }];
  }
  if (fix.kind === 'openai-client') return openaiClient(model, call, fix.resource);
  return lcelChain(model, call);
}

export function produceFix(model: CodeModel, data: Record<string, unknown>, fix: MechanicalFix): FixResult | undefined {
  const call = callAt(model, data.callStart as number, data.callEnd as number);
  const plan = call && planFix(model, call, fix);
  return Array.isArray(plan) ? { edits: plan } : undefined;
}

/** `openai.ChatCompletion.create(...)` → `client.chat.completions.create(...)`, with the client made once after the key is set. */
function openaiClient(model: CodeModel, call: ir.Call, resource: string): TextEdit[] | string {
  const edits: TextEdit[] = [];
  const existing = [...model.bindings(model.root).values()].find((b) => b.kind === 'var' && b.value && ir.unwrap(b.value).type === 'Call' && /^(?:openai\.)?OpenAI$/.test(ir.dottedName((ir.unwrap(b.value) as ir.Call).callee) ?? ''));
  let client = existing?.name;
  if (!client) {
    client = model.bindings(model.root).has('client') ? 'openai_client' : 'client';
    if (model.bindings(model.root).has(client)) return 'the names `client` and `openai_client` are taken in this module';
    const ctor = addPyFromImport(model, edits, 'openai', 'OpenAI');
    // The v0 code set the key on the module (`openai.api_key = ...`): the client takes it from there.
    const keySet = model.root.body.find((n) => /^openai\.api_key\s*=/.test(src(model, n)));
    const at = keySet ? nextLine(model, keySet.end) : afterImports(model);
    const args = keySet ? 'api_key=openai.api_key' : '';
    edits.push({ start: at, end: at, newText: `${keySet ? '' : '\n'}${client} = ${ctor}(${args})\n${keySet ? '' : '\n'}` });
  }
  edits.push({ start: call.callee.start, end: call.callee.end, newText: `${client}.${resource}` });
  return edits;
}

const nextLine = (model: CodeModel, offset: number) => { const nl = model.text.indexOf('\n', offset); return nl === -1 ? model.text.length : nl + 1; };

/**
 * `chain = LLMChain(llm=llm, prompt=prompt)` → `chain = prompt | llm | StrOutputParser()`. LLMChain's
 * `run`/`predict` returned the text, so the parser keeps that; their calls become `invoke`, which
 * takes the prompt's variables as a dict (or the one variable's value alone, as `run` did).
 */
function lcelChain(model: CodeModel, call: ir.Call): TextEdit[] | string {
  const kw = new Map(call.args.filter((a): a is ir.Keyword => a.type === 'Keyword').map((k) => [k.name, k.value]));
  if (call.args.some((a) => a.type !== 'Keyword') || !kw.has('llm') || !kw.has('prompt') || [...kw.keys()].some((k) => !/^(?:llm|prompt|verbose)$/.test(k))) {
    return 'LLMChain is built with arguments other than llm and prompt (an output parser, memory, an output key): see the migration guide';
  }
  const assign = call.parent;
  if (assign?.type !== 'Assign' || assign.value !== call || assign.target.type !== 'Ident') return 'the chain is not assigned to a name whose calls can be followed';
  const name = assign.target.name;
  const scope = model.resolve(assign.target)?.scope ?? model.root;
  const edits: TextEdit[] = [];
  for (const id of model.identsNamedIn(name, scope)) {
    if (id === assign.target) continue;
    const m = id.parent;
    const use = m?.type === 'Member' && m.object === id && m.parent?.type === 'Call' && m.parent.callee === m ? m.parent : undefined;
    if (!use || !/^(?:run|predict)$/.test((m as ir.Member).prop)) return `\`${name}\` is used other than through run() or predict() (LLMChain returned a dict there): see the migration guide`;
    const member = m as ir.Member;
    edits.push({ start: member.propStart, end: member.propStart + member.prop.length, newText: 'invoke' });
    const kws = use.args.filter((a): a is ir.Keyword => a.type === 'Keyword');
    if (kws.length && kws.length === use.args.length) {
      const first = use.args[0], last = use.args[use.args.length - 1];
      edits.push({ start: first.start, end: last.end, newText: `{${kws.map((k) => `"${k.name}": ${src(model, k.value)}`).join(', ')}}` });
    } else if (use.args.length !== 1 || use.args[0].type === 'Keyword' || use.args[0].type === 'Spread') {
      return `\`${name}.${member.prop}()\` is called with arguments invoke() does not take: see the migration guide`;
    }
  }
  // LLMChain's import becomes the parser's when nothing else uses it.
  const imp = model.imports.find((i) => i.names.length === 1 && i.names[0].imported === 'LLMChain');
  const spare = imp && model.identsNamed(imp.names[0].local).filter((i) => !ir.isInside(i, imp)).length === 1;
  const has = model.imports.some((i) => i.module === 'langchain_core.output_parsers' && i.names.some((n) => n.imported === 'StrOutputParser'));
  let parser = 'StrOutputParser';
  if (imp && spare && !has) edits.push({ start: imp.start, end: imp.end, newText: 'from langchain_core.output_parsers import StrOutputParser' });
  else parser = addPyFromImport(model, edits, 'langchain_core.output_parsers', 'StrOutputParser');
  edits.push({ start: call.start, end: call.end, newText: `${src(model, kw.get('prompt')!)} | ${src(model, kw.get('llm')!)} | ${parser}()` });
  return edits;
}

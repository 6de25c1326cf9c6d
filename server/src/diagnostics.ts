// Findings and notices as LSP diagnostics: one shape for live analyses (server.ts), the
// workspace scan and the analysis workers.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../rules/kit/rule';
import type { Notice } from './engine';
import { ruleDocUrl } from './docsUrl';
import { SOURCE, type DiagnosticData } from './protocol';

/** What the diagnostics of a document are made of: plain data, as analysis workers return it. */
export interface AnalysisFacts {
  findings: readonly Finding[];
  notices: readonly Notice[];
  /** Per finding, its fingerprint (matched against a baseline). */
  fingerprints?: readonly string[];
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toDiagnostics(doc: TextDocument, a: AnalysisFacts, accepted?: Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [i, f] of a.findings.entries()) {
    const range = { start: doc.positionAt(f.start), end: doc.positionAt(f.end) };
    const data: DiagnosticData = { ruleId: f.ruleId, version: doc.version, start: f.start, end: f.end, fix: f.fix, fingerprint: a.fingerprints?.[i] };
    const d: Diagnostic = { range, severity: SEVERITY[f.severity], source: SOURCE, code: f.ruleId, codeDescription: { href: ruleDocUrl(f.ruleId) }, message: f.message, data };
    if (accepted && intersects(range, accepted)) {
      data.accepted = true;
      d.relatedInformation = [{ location: { uri: doc.uri, range: accepted }, message: 'in code inserted just now (accepted suggestion, paste or applied edit): review before moving on' }];
    }
    out.push(d);
  }
  for (const n of a.notices) out.push(noticeDiagnostic(doc, n));
  return out;
}

export function noticeDiagnostic(doc: TextDocument, n: Notice): Diagnostic {
  const range = n.start !== undefined ? { start: doc.positionAt(n.start), end: doc.positionAt(n.end ?? n.start) } : zeroRange();
  return { range, severity: DiagnosticSeverity.Information, source: SOURCE, code: `notice:${n.kind}`, message: `Vibe Guard: ${n.message}` };
}

export function zeroRange(): Range { return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }; }

function intersects(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

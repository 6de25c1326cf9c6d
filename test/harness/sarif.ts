// Checking SARIF as its consumers do: the OASIS 2.1.0 schema (test/schemas/), and the limits
// GitHub code scanning enforces on an upload, as its documentation states them ("SARIF results
// exceed hard limit"). Written apart from the CLI's own fitting (cli/formats/sarifLimits.ts), so
// each checks the other.
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './fixtures';

let validator: ReturnType<Ajv['compile']> | undefined;

/** Schema errors of a SARIF log, as text; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator(log) ? '' : JSON.stringify(validator.errors, null, 2);
}

interface SarifRun {
  tool: { driver: { rules?: { properties?: { tags?: string[] } }[] }; extensions?: unknown[] };
  results?: { locations?: unknown[]; codeFlows?: { threadFlows?: { locations?: unknown[] }[] }[] }[];
}

/** What GitHub would reject the upload for; empty when it accepts it. */
export function githubRejections(text: string): string[] {
  const out: string[] = [];
  const gz = gzipSync(text).length;
  if (gz > 10 * 1024 * 1024) out.push(`gzip-compressed size ${gz} bytes is over 10 MB`);
  const log = JSON.parse(text) as { runs: SarifRun[] };
  if (log.runs.length > 20) out.push(`${log.runs.length} runs (at most 20)`);
  log.runs.forEach((run, r) => {
    const results = run.results ?? [];
    if (results.length > 25_000) out.push(`run ${r}: ${results.length} results (at most 25,000)`);
    const rules = run.tool.driver.rules ?? [];
    if (rules.length > 25_000) out.push(`run ${r}: ${rules.length} rules (at most 25,000)`);
    if ((run.tool.extensions ?? []).length > 100) out.push(`run ${r}: more than 100 tool extensions`);
    rules.forEach((rule, i) => { if ((rule.properties?.tags ?? []).length > 20) out.push(`run ${r} rule ${i}: more than 20 tags`); });
    results.forEach((x, i) => {
      if ((x.locations ?? []).length > 1_000) out.push(`run ${r} result ${i}: more than 1,000 locations`);
      for (const flow of x.codeFlows ?? []) for (const t of flow.threadFlows ?? []) {
        if ((t.locations ?? []).length > 10_000) out.push(`run ${r} result ${i}: more than 10,000 thread flow locations`);
      }
    });
  });
  return out;
}

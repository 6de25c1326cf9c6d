// A rule's help as plain text and Markdown, from its metadata (the same source docs/rules/<id>.md
// is generated from), for SARIF `help` and `vibeguard rules`.
import type { Rule } from '../../../rules/kit/rule';
import { ruleDocUrl } from '../docsUrl';

const LANGUAGE_NAMES: Record<string, string> = { js: 'JavaScript/TypeScript', py: 'Python' };
const FENCE: Record<string, string> = { js: 'ts', py: 'python' };

/** The fix title when it does not depend on the finding. */
export function staticFixTitle(rule: Rule): string | undefined {
  if (!rule.fix) return undefined;
  return typeof rule.fix.title === 'string' ? rule.fix.title : 'quick fix (title depends on the finding)';
}

export function helpText(rule: Rule): string {
  const parts = [rule.docs.summary, '', rule.docs.why];
  if (rule.fix && rule.docs.fix) parts.push('', `Quick fix (${rule.fix.safety}): ${rule.docs.fix}`);
  parts.push('', `Documentation: ${ruleDocUrl(rule.id)}`);
  return parts.join('\n');
}

export function helpMarkdown(rule: Rule): string {
  const parts = [`**${rule.id}**: ${rule.docs.summary}`, '', '## Why', '', rule.docs.why];
  if (rule.fix && rule.docs.fix) {
    parts.push('', `## Quick fix (${rule.fix.safety})`, '', rule.docs.fix);
  }
  for (const [lang, ex] of Object.entries(rule.docs.examples)) {
    if (!ex) continue;
    const fence = FENCE[lang] ?? '';
    parts.push('', `## Example (${LANGUAGE_NAMES[lang] ?? lang})`, '', 'Flagged:', '', '```' + fence, ex.bad.trimEnd(), '```', '', 'Not flagged:', '', '```' + fence, ex.good.trimEnd(), '```');
  }
  parts.push('', `[Full documentation](${ruleDocUrl(rule.id)})`);
  return parts.join('\n');
}

export function languageNames(rule: Rule): string {
  return rule.languages.map((l) => (l === 'js' ? 'js/ts' : l)).join(', ');
}

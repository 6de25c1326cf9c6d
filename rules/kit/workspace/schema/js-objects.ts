// Object literals of JS/TS model files read as text: top-level `key: value` pairs with offsets,
// for Sequelize attribute maps and Drizzle column maps.
import { mask, matching, splitArgs } from '../../frameworks/router-mounts';

export interface JsProp { key: string; value: string; start: number; end: number }

/** The top-level properties of the object literal starting at `open` (a `{`) in `text`. */
export function objectProps(text: string, code: string, open: number): JsProp[] {
  const close = matching(code, open);
  if (close === -1) return [];
  return splitArgs(code, open + 1, close).map((a) => {
    const src = text.slice(a.start, a.end);
    const m = /^\s*(?:['"]?([\w$]+)['"]?)\s*:\s*/.exec(src);
    const lead = src.length - src.trimStart().length;
    if (m) return { key: m[1], value: src.slice(m[0].length).trim(), start: a.start + lead, end: a.end };
    const short = /^\s*([\w$]+)\s*$/.exec(src);
    return short ? { key: short[1], value: short[1], start: a.start + lead, end: a.end } : { key: '', value: src.trim(), start: a.start + lead, end: a.end };
  }).filter((p) => p.key);
}

/** Props of an object literal given as source text (`{ unique: true, fields: ['a'] }`). */
export function propsOf(src: string): Map<string, string> {
  const t = src.trim();
  if (!t.startsWith('{')) return new Map();
  return new Map(objectProps(t, mask(t), 0).map((p) => [p.key, p.value]));
}

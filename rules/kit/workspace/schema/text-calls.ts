// Calls found in masked source text (comments and string contents blanked, offsets kept), with
// their arguments as source text: how migration files (Knex, Alembic) are read without running them.
import { matching, splitArgs } from '../../frameworks/router-mounts';

export interface TextCall { name: string; start: number; open: number; close: number; args: string[] }

/** Every call whose callee text matches `callee` (a regex source ending at the name, without the parenthesis) between from and to. */
export function textCalls(text: string, code: string, callee: string, from = 0, to = code.length): TextCall[] {
  const out: TextCall[] = [];
  const re = new RegExp(`(${callee})\\s*\\(`, 'g');
  re.lastIndex = from;
  for (let m = re.exec(code); m && m.index < to; m = re.exec(code)) {
    const open = m.index + m[0].length - 1;
    const close = matching(code, open);
    if (close === -1) continue;
    out.push({ name: m[1], start: m.index, open, close, args: splitArgs(code, open + 1, close).map((a) => text.slice(a.start, a.end).trim()) });
  }
  return out;
}

/** A string literal's value (`'users'`, `"users"`, `` `users` ``). */
export function str(arg: string | undefined): string | undefined {
  return arg ? /^[rbuf]*(['"`])([^'"`]*)\1$/i.exec(arg.trim())?.[2] : undefined;
}

/** The string items of an array/list/tuple literal, or a lone string: `['a', 'b']` → ['a', 'b']. */
export function strs(arg: string | undefined): string[] {
  if (!arg) return [];
  const one = str(arg);
  if (one !== undefined) return [one];
  return /^[[(]/.test(arg.trim()) ? [...arg.matchAll(/(['"`])([^'"`]*)\1/g)].map((m) => m[2]) : [];
}

/** The value of a keyword argument (`ondelete='CASCADE'`) among call arguments. */
export function kwarg(args: string[], name: string): string | undefined {
  const a = args.find((x) => new RegExp(`^${name}\\s*=`).test(x));
  return a?.replace(/^\w+\s*=\s*/, '');
}

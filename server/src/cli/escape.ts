// Terminal-safe text: control characters from file names and from the analysed code (a name can
// hold a newline and a fake "0 problems" line, or ANSI escapes) are printed as escapes, never raw.

/** C0 and C1 controls, DEL, and the Unicode bidirectional controls that reorder what a terminal shows. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

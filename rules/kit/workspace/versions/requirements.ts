// requirements*.txt: only exact pins (`name==1.2.3`, `name[extra]===1.2.3 ; marker`) say which version
// is installed; ranges, URLs, editable installs and options (`-r`, `--hash`) say nothing exact.
import { add, pyName, type Installed } from './lock';

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([0-9][^\s;,#\\]*)\s*(?:[;#\\].*)?$/;

export function parseRequirements(text: string): Installed {
  const out: Installed = new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const m = PIN.exec(line);
    if (m && !m[2].includes('*')) add(out, '', pyName(m[1]), { version: m[2] });
  }
  return out;
}

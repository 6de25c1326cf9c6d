// uv.lock: TOML like poetry.lock (`[[package]]` with name and version; the project itself has a
// `source = { editable = "." }` entry, kept: it is never the library a rule asks about).
import { parseTomlPackages } from './poetry-lock';

export const parseUvLock = (text: string) => parseTomlPackages(text, 'uv.lock');

// Node's crypto.createCipher/createDecipher (no IV, MD5 key derivation) were deprecated in Node 10 and
// removed in Node 22: every Node a project can run today warns or throws, so no version is needed.
import type { ApiChange } from './types';

const GUIDE = 'https://nodejs.org/api/deprecations.html#DEP0106';

export const node: ApiChange[] = ['createCipher', 'createDecipher'].map((name) => ({
  api: `crypto.${name}`, lang: 'js', library: 'node', ecosystem: 'runtime', versions: '*', status: 'removed',
  shape: { kind: 'module-member', module: 'crypto', path: name }, replacement: `\`crypto.${name}iv(algorithm, key, iv)\` with a random IV and a key from \`scrypt\``, guide: GUIDE,
}) satisfies ApiChange);

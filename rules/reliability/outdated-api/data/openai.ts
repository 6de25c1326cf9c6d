// openai-python 1.0 replaced the module-level resources with a client; openai-node 4 replaced
// Configuration/OpenAIApi with the OpenAI client.
import type { ApiChange } from './types';

const PY_GUIDE = 'https://github.com/openai/openai-python/discussions/742';
const JS_GUIDE = 'https://github.com/openai/openai-node/discussions/217';
const py = (path: string, resource: string, mechanical = true): ApiChange => ({
  api: `openai.${path}`, lang: 'py', library: 'openai', ecosystem: 'pypi', versions: '>=1.0.0', status: 'removed',
  shape: { kind: 'module-member', module: 'openai', path }, replacement: `\`client.${resource}\` on an \`OpenAI()\` client`, guide: PY_GUIDE,
  ...(mechanical ? { fix: { kind: 'openai-client', resource } as const } : {}),
});

export const openai: ApiChange[] = [
  py('ChatCompletion.create', 'chat.completions.create'),
  // The async variant needs an AsyncOpenAI client: not a one-line change.
  py('ChatCompletion.acreate', 'chat.completions.create', false),
  py('Completion.create', 'completions.create'),
  py('Embedding.create', 'embeddings.create'),
  py('Image.create', 'images.generate'),
  py('Moderation.create', 'moderations.create'),
  { api: 'Configuration', lang: 'js', library: 'openai', ecosystem: 'npm', versions: '>=4.0.0', status: 'removed', shape: { kind: 'imported', module: /^openai$/, name: 'Configuration' }, replacement: '`new OpenAI({ apiKey })`', guide: JS_GUIDE },
  { api: 'OpenAIApi', lang: 'js', library: 'openai', ecosystem: 'npm', versions: '>=4.0.0', status: 'removed', shape: { kind: 'imported', module: /^openai$/, name: 'OpenAIApi' }, replacement: '`new OpenAI()` and `client.chat.completions.create()`', guide: JS_GUIDE },
];

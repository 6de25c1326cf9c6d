// Next.js 15 made cookies(), headers() and draftMode() asynchronous; synchronous use is deprecated.
import type { ApiChange } from './types';

const GUIDE = 'https://nextjs.org/docs/app/building-your-application/upgrading/version-15#async-request-apis-breaking-change';

export const next: ApiChange[] = ['cookies', 'headers', 'draftMode'].map((name) => ({
  api: `${name}()`, lang: 'js', library: 'next', ecosystem: 'npm', versions: '>=15.0.0-0', status: 'deprecated',
  shape: { kind: 'sync-call', module: 'next/headers', name }, replacement: `\`(await ${name}())\``, guide: GUIDE,
}) satisfies ApiChange);

// Flask 2.3 removed before_first_request (deprecated in 2.2).
import type { ApiChange } from './types';

export const flask: ApiChange[] = [
  { api: 'app.before_first_request', lang: 'py', library: 'flask', ecosystem: 'pypi', versions: '>=2.3.0', status: 'removed', shape: { kind: 'method-of', module: 'flask', factory: 'Flask', method: 'before_first_request' }, replacement: 'run the setup once in the app factory, inside `with app.app_context():`', guide: 'https://flask.palletsprojects.com/en/stable/changes/#version-2-3-0' },
];

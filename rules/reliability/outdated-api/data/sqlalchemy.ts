// SQLAlchemy 2.0 removed implicit execution on the Engine: statements run on a Connection.
import type { ApiChange } from './types';

export const sqlalchemy: ApiChange[] = [
  { api: 'engine.execute', lang: 'py', library: 'sqlalchemy', ecosystem: 'pypi', versions: '>=2.0.0', status: 'removed', shape: { kind: 'method-of', module: 'sqlalchemy', factory: 'create_engine', method: 'execute' }, replacement: '`with engine.connect() as conn: conn.execute(text(...))` (or `engine.begin()` to commit)', guide: 'https://docs.sqlalchemy.org/en/20/changelog/migration_20.html#migration-20-implicit-execution' },
];

// pydantic 2 renamed the model methods (the v1 names still run, with deprecation warnings, and go in v3)
// and replaced @validator/@root_validator.
import type { ApiChange } from './types';

const GUIDE = 'https://docs.pydantic.dev/latest/migration/';
const method = (m: string, to: string, on: 'instance' | 'class'): ApiChange => ({
  api: `${on === 'class' ? 'Model.' : '.'}${m}()`, lang: 'py', library: 'pydantic', ecosystem: 'pypi', versions: '>=2.0.0', status: 'deprecated',
  shape: { kind: 'model-method', module: 'pydantic', base: 'BaseModel', method: m, on }, replacement: `\`${to}()\``, guide: GUIDE, fix: { kind: 'rename-method', to },
});

export const pydantic: ApiChange[] = [
  method('dict', 'model_dump', 'instance'),
  method('json', 'model_dump_json', 'instance'),
  method('copy', 'model_copy', 'instance'),
  method('parse_obj', 'model_validate', 'class'),
  method('parse_raw', 'model_validate_json', 'class'),
  method('schema', 'model_json_schema', 'class'),
  method('construct', 'model_construct', 'class'),
  { api: '@validator', lang: 'py', library: 'pydantic', ecosystem: 'pypi', versions: '>=2.0.0', status: 'deprecated', shape: { kind: 'imported', module: /^pydantic$/, name: 'validator' }, replacement: '`@field_validator` (a classmethod; `values` becomes `info.data`)', guide: `${GUIDE}#changes-to-validators` },
  { api: '@root_validator', lang: 'py', library: 'pydantic', ecosystem: 'pypi', versions: '>=2.0.0', status: 'deprecated', shape: { kind: 'imported', module: /^pydantic$/, name: 'root_validator' }, replacement: '`@model_validator(mode="before"|"after")`', guide: `${GUIDE}#changes-to-validators` },
];

// Reading the YAML files this repository ships (action.yml, .pre-commit-hooks.yaml) as GitHub and
// pre-commit read them.
import * as fs from 'fs';

// js-yaml ships no types; this is the one function used.
const { load } = require('js-yaml') as { load: (text: string) => unknown };

export function loadYaml(file: string): unknown {
  return load(fs.readFileSync(file, 'utf8'));
}

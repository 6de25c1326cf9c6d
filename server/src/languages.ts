// Which files the engine analyses, by name. Kept free of imports so the CLI's main thread can
// select files without loading the engine (TypeScript, tree-sitter, the rules).
export type Lang = 'js' | 'py';

const JS_EXT = /\.(?:[cm]?[jt]sx?)$/i;
const PY_EXT = /\.pyi?$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;

export function languageOf(file: string): Lang | undefined {
  if (DECLARATION.test(file)) return undefined;
  if (JS_EXT.test(file)) return 'js';
  if (PY_EXT.test(file)) return 'py';
  return undefined;
}

export const LANGUAGE_IDS: Record<string, Lang> = {
  javascript: 'js', javascriptreact: 'js', typescript: 'js', typescriptreact: 'js', python: 'py',
};

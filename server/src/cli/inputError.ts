// The error that ends a run with exit code 2 and its message (ending in a newline): bad
// configuration, missing paths or build, an unusable baseline, an unknown git ref.
export class InputError extends Error {}

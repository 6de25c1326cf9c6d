import { execFile } from 'node:child_process';

// A helper that takes the command's values from its callers: not request data in this file,
// but nothing fixes them either.
export function compress(input: string, level: number) {
  return new Promise((resolve, reject) => {
    execFile('gzip', [`-${level}`, input], (err, stdout) => (err ? reject(err) : resolve(stdout))); // expect: code-injection
  });
}

export function parseStored(raw: string) {
  return JSON.parse(raw); // expect: code-injection
}

import { recoverSignerAddress } from './wallet';

enum TokenKind { ACCESS_TOKEN = 'access', REFRESH_TOKEN = 'refresh' }

// Checking which kind of token a decoded payload is: an enum member, not a secret.
export function requireRefresh(payload: { kind: TokenKind; sub: string }) {
  if (payload.kind !== TokenKind.REFRESH_TOKEN) throw new Error('wrong token kind');
  return payload.sub;
}

// A wallet login: the address recovered from a signature is public, comparing it leaks nothing.
export function signedBy(message: string, signature: string, claimedAddress: string): boolean {
  const signer = recoverSignerAddress(message, signature);
  return signer.toLowerCase() === claimedAddress.toLowerCase();
}

// Content fingerprints of two drafts: the same routine on both sides, nothing held back.
function layoutSignature(draft: { blocks: string[] } | null): string {
  return (draft?.blocks ?? []).join('|');
}
export function draftsDiffer(a: { blocks: string[] } | null, b: { blocks: string[] } | null): boolean {
  return layoutSignature(a) !== layoutSignature(b);
}

// Matching command-line words against a list of names.
export function unknownWords(words: string[], known: { name: string; section: string }[]): string[] {
  return words.filter((token) => !known.some((k) => k.name === token || k.section === token));
}

'use client';

// Browser code: the key reaches every visitor, and process.env cannot be read here, so there is no fix.
import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: 'sk-proj-Qm3xT8vL2pR7nW4bY9cZ1hJ6kD0gSa5F', dangerouslyAllowBrowser: true }); // expect: hardcoded-secret

export function Summarize({ text }: { text: string }) {
  return <button onClick={() => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })}>Summarize</button>;
}

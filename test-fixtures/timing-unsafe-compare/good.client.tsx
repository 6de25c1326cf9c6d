'use client';
import { useEffect, useState } from 'react';

// Browser code compares what it holds: nobody outside can time the user's own machine.
export function SessionWatcher({ token, onChange }: { token: string; onChange(t: string): void }) {
  const [storedToken] = useState(() => localStorage.getItem('session_token'));
  useEffect(() => {
    if (token !== storedToken) onChange(token);
  }, [token, storedToken, onChange]);
  return null;
}

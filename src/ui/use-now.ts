import { useEffect, useState } from 'react';

export interface UseNowOptions {
  /** How often to tick, ms. @default 1000 */
  intervalMs?: number;
  /** Tick only while something counts down. @default true */
  isActive?: boolean;
  /** The clock, epoch ms (tests inject one). @default Date.now */
  now?: () => number;
}

/** The current time, re-rendering only the component that counts down, once per interval. */
export function useNow({ intervalMs = 1000, isActive = true, now = Date.now }: UseNowOptions = {}): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!isActive) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, isActive, now]);
  return isActive ? time : now();
}

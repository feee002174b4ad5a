import { useSyncExternalStore } from 'react';
import type { SessionState } from '../core/session.ts';
import type { SessionStore } from './session-store.ts';

export interface UseSessionOptions {
  store: SessionStore;
}

/** The session state, re-rendering on every change the reducer makes (and only then). */
export function useSession({ store }: UseSessionOptions): SessionState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

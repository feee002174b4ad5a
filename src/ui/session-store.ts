import { sessionReducer, type SessionEvent, type SessionState } from '../core/session.ts';

/**
 * The session state outside React: the controller dispatches engine events into it from async
 * code, and components subscribe with `useSyncExternalStore`. The reducer does all the work.
 */
export interface SessionStore {
  getState(): SessionState;
  dispatch(event: SessionEvent): void;
  subscribe(listener: () => void): () => void;
}

export function createSessionStore(initial: SessionState): SessionStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event) {
      const next = sessionReducer(state, event);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import { createContext, useContext } from 'react';
import type { Me } from './api';

/** Who is signed in, and how to sign out; provided by the auth feature's `SessionGate` (app level). */
export interface Session {
  me: Me;
  logout: () => void;
}

/** Provided by the auth feature's `SessionGate`; read through `useSession` (and `useCan`). */
export const SessionContext = createContext<Session | null>(null);

/** The signed-in caller (null outside the gate, e.g. in component tests): name, roles, admin or not. */
export function useSession(): Session | null {
  return useContext(SessionContext);
}

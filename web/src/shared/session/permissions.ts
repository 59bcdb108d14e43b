// What the signed-in caller may do, from the roles /api/auth/me names; the same grants as the server's Role enum,
// so controls the server would refuse are not shown. The server stays the judge: a hidden button is a courtesy.
import { useSession } from './session';
import type { Me } from './api';

export type Permission = 'read' | 'edit' | 'lead' | 'pipeline' | 'admin';

const GRANTS: Record<string, readonly Permission[]> = {
  viewer: ['read'],
  editor: ['read', 'edit'],
  lead: ['read', 'edit', 'lead'],
  pipeline: ['read', 'pipeline'],
  admin: ['read', 'edit', 'lead', 'pipeline', 'admin'],
};

/** Whether the caller's roles grant the permission, globally or for the project (when one is given). */
export function may(me: Me, permission: Permission, projectId?: number | null): boolean {
  return me.roles.some(
    (r) =>
      (r.project_id === null || (projectId !== undefined && projectId !== null && r.project_id === projectId)) &&
      (GRANTS[r.role] ?? []).includes(permission),
  );
}

/**
 * True when the caller may: outside the session gate (component tests) everything is allowed, as for the local
 * operator of a server without users.
 */
export function useCan(permission: Permission, projectId?: number | null): boolean {
  const session = useSession();
  return session === null || may(session.me, permission, projectId);
}

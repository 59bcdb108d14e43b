import { describe, expect, it } from 'vitest';
import type { Me } from './api';
import { may } from './permissions';

const me = (roles: Me['roles']): Me => ({ name: 'vera', via: 'session', roles, csrf_token: 't', is_admin: false, auth_required: true });

describe('may', () => {
  it('grants what the server’s roles grant, globally or for the one project', () => {
    const viewer = me([{ role: 'viewer', project_id: null }]);
    expect(may(viewer, 'read')).toBe(true);
    expect(may(viewer, 'edit', 3)).toBe(false);
    const editorOf3 = me([{ role: 'editor', project_id: 3 }]);
    expect(may(editorOf3, 'edit', 3)).toBe(true);
    expect(may(editorOf3, 'edit', 4)).toBe(false);
    expect(may(editorOf3, 'edit')).toBe(false);
    expect(may(editorOf3, 'lead', 3)).toBe(false);
    expect(may(me([{ role: 'lead', project_id: null }]), 'lead', 9)).toBe(true);
    expect(may(me([{ role: 'pipeline', project_id: null }]), 'edit')).toBe(false);
    expect(may(me([{ role: 'admin', project_id: null }]), 'admin')).toBe(true);
  });
});

// Who this client acts as: the identity kept in local_meta, resolved to an Actor from the users and roles tables.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Actor } from '../../src-shared/mutators/mutator';
import { codecOf } from '../store/entity-codecs';
import { DEFAULT_ROLE_PERMISSIONS } from '../store/default-profile';
import type { Store } from '../store/open-store';

export interface Identity {
  tenantId: string;
  userId: string;
}

const KEY = 'identity';

export function readIdentity(store: Store): Identity | null {
  const row = store.sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Identity) : null;
}

export function writeIdentity(store: Store, identity: Identity): void {
  store.sqlite.prepare('INSERT OR REPLACE INTO local_meta (key, value) VALUES (?, ?)').run(KEY, JSON.stringify({ tenantId: identity.tenantId, userId: identity.userId }));
}

export function loadActor(store: Store, identity: Identity): Actor {
  const users = codecOf('users');
  const raw = store.sqlite.prepare(`SELECT ${users.selectList} FROM users WHERE id = ? AND tenant_id = ?`).raw(true).get(identity.userId, identity.tenantId) as unknown[] | undefined;
  if (!raw) throw new AppError(ErrorCode.UNAUTHENTICATED, `user ${identity.userId} of tenant ${identity.tenantId} is not in this store`);
  const user = users.fromRaw(raw);
  if (!user.active) throw new AppError(ErrorCode.UNAUTHENTICATED, `user ${user.id} is inactive`);
  const role = store.sqlite.prepare('SELECT permissions FROM roles WHERE tenant_id = ? AND name = ?').get(identity.tenantId, user.role) as { permissions: string } | undefined;
  return {
    userId: user.id,
    tenantId: user.tenantId,
    role: user.role,
    permissions: role ? JSON.parse(role.permissions) : [...DEFAULT_ROLE_PERMISSIONS[user.role]],
    teamId: user.teamId,
    managedTeamIds: (store.sqlite.prepare('SELECT id FROM teams WHERE tenant_id = ? AND manager_id = ?').all(identity.tenantId, user.id) as { id: string }[]).map((t) => t.id),
  };
}

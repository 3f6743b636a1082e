// The client core: the local store plus the API contract implemented against it, usable from plain Node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { API } from '../../src-shared/api/api';
import type { Api, MethodName } from '../../src-shared/api/api';
import type { InputOf, OutputOf } from '../../src-shared/api/contract';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Actor } from '../../src-shared/mutators/mutator';
import { MUTATORS } from '../../src-shared/mutators/registry';
import { bootstrapLocal } from '../store/bootstrap-local';
import type { TableRows } from '../store/bootstrap-local';
import { defaultLocalProfile } from '../store/default-profile';
import { openStore } from '../store/open-store';
import type { Store } from '../store/open-store';
import { ClientEmitter } from './client-events';
import type { ClientEvents, Listener } from './client-events';
import type { CoreContext } from './core-context';
import { HANDLERS } from './handlers/all-handlers';
import { loadActor, readIdentity, writeIdentity } from './identity';
import type { Identity } from './identity';
import { createIdGenerator } from './ids';
import { createWritePath } from './write-path';
import type { WritePath, WritePathOptions } from './write-path';

export interface OpenClientOptions {
  /** A directory holding the store file `crm.db` (created if missing); or give `dbPath`. */
  dataDir?: string;
  dbPath?: string;
  /** Who this client acts as; remembered in the store. Without it, the stored identity, else a fresh local profile. */
  identity?: Identity;
  clock?: () => number;
  newId?: () => string;
  migrationsFolder?: string;
  /** Validates every output against the contract too (tests and development). */
  checkOutputs?: boolean;
  /** Where unexpected errors are reported (they reach the caller only as INTERNAL). */
  logError?: (message: string, err: unknown) => void;
  /** The sync client's outbox hook, see WritePathOptions.onApplied. */
  onApplied?: WritePathOptions['onApplied'];
  /** The sync client's pre-mutation hook, see WritePathOptions.onBegin. */
  onBegin?: WritePathOptions['onBegin'];
}

export interface ClientCore {
  /** Calls an API method: input validated against the contract; rejects with an AppError. */
  call<N extends MethodName>(method: N, input: InputOf<Api, N>): Promise<OutputOf<Api, N>>;
  on<E extends keyof ClientEvents>(event: E, listener: Listener<E>): () => void;
  /** Waits for queued writes, then closes the store. */
  close(): Promise<void>;
  readonly identity: Identity;
  readonly store: Store;
  /** The write funnel, for bulk paths (applyMutations) in scripts and benchmarks. */
  readonly writes: WritePath;
  /** Inserts reference data or fixtures directly (see bootstrapLocal) and refreshes the acting user. */
  bootstrap(rows: TableRows): void;
}

const defaultLogError = (message: string, err: unknown) => console.error(message, err);

export function openClient(options: OpenClientOptions): ClientCore {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? createIdGenerator();
  const logError = options.logError ?? defaultLogError;
  let dbPath = options.dbPath;
  if (!dbPath) {
    if (!options.dataDir) throw new Error('openClient needs a dataDir or a dbPath');
    mkdirSync(options.dataDir, { recursive: true });
    dbPath = join(options.dataDir, 'crm.db');
  }
  const store = openStore(dbPath, options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {});

  const stored = readIdentity(store);
  if (stored && options.identity && options.identity.tenantId !== stored.tenantId) {
    store.close();
    // One store holds one tenant: its queries rely on it, and sync replicates per tenant.
    throw new AppError(ErrorCode.FORBIDDEN, `this store belongs to tenant ${stored.tenantId}; open another data directory for tenant ${options.identity.tenantId}`);
  }
  let identity = options.identity ?? stored;
  if (!identity) {
    // A fresh profile with no server yet: make it usable standalone.
    const profile = defaultLocalProfile({ now: clock(), newId });
    bootstrapLocal(store, profile.rows);
    identity = profile.identity;
  }
  writeIdentity(store, identity);
  const who: Identity = identity;

  let actor: Actor | null = null;
  const currentActor = () => (actor ??= loadActor(store, who));
  const emitter = new ClientEmitter();
  const writes = createWritePath({
    sqlite: store.sqlite,
    mutators: MUTATORS,
    actor: currentActor,
    clock,
    newId,
    ...(options.onApplied ? { onApplied: options.onApplied } : {}),
    ...(options.onBegin ? { onBegin: options.onBegin } : {}),
    onCommitted: (change) => {
      if (change.tables.some((t) => t === 'users' || t === 'roles')) actor = null;
      emitter.emit('changed', change, (err) => logError('a changed listener failed', err));
    },
  });
  const ctx: CoreContext = { store, writes, actor: currentActor, now: clock, newId };
  let closed = false;

  async function call(method: string, input: unknown): Promise<unknown> {
    if (closed) throw new AppError(ErrorCode.INTERNAL, 'the client is closed');
    const def = (API as Record<string, { input: Api[MethodName]['input']; output: Api[MethodName]['output'] }>)[method];
    const handler = HANDLERS[method as MethodName];
    if (!def || !handler) throw new AppError(ErrorCode.UNKNOWN_METHOD, `unknown method ${method}`);
    const parsed = def.input.safeParse(input);
    if (!parsed.success) throw AppError.fromZod(parsed.error);
    try {
      const output = await handler(parsed.data, ctx);
      if (options.checkOutputs) {
        const checked = def.output.safeParse(output);
        if (!checked.success) throw new Error(`${method} returned output that breaks its contract: ${checked.error.message}`);
      }
      return output;
    } catch (err) {
      if (err instanceof AppError) throw err;
      logError(`${method} failed`, err);
      throw new AppError(ErrorCode.INTERNAL, 'internal error');
    }
  }

  return {
    call: call as ClientCore['call'],
    on: (event, listener) => emitter.on(event, listener),
    async close() {
      if (closed) return;
      closed = true;
      await writes.drain();
      store.close();
    },
    identity: who,
    store,
    writes,
    bootstrap(rows) {
      bootstrapLocal(store, rows);
      actor = null;
    },
  };
}

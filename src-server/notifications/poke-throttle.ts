// Debounces a tenant's sync pokes: the first goes out at once, a burst after it becomes one poke per window.

export const POKE_WINDOW_MS = 50;

interface TenantWindow {
  /** The highest version announced to the sockets so far. */
  sent: number;
  /** The highest version heard since, waiting for the window to close (0: none). */
  pending: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Every commit that changes a tenant's replicated data announces its version, so a rescoring or archiving pass that
 * commits hundreds of batches a second would otherwise make every desktop pull hundreds of times. Here a poke with
 * no other in the last `windowMs` is sent at once (a captured lead reaches its rep without waiting), and the pokes
 * heard during a window are sent as one, carrying the latest version, when it closes. A poke for a version already
 * announced (the same commit heard twice) is dropped.
 */
export class PokeThrottle {
  private readonly tenants = new Map<string, TenantWindow>();
  /** The last version announced per tenant, kept past the window: a late duplicate is still recognised. */
  private readonly announced = new Map<string, number>();
  private closed = false;

  constructor(private readonly send: (tenantId: string, version: number) => void, private readonly windowMs = POKE_WINDOW_MS) {}

  poke(tenantId: string, version: number): void {
    if (this.closed || version <= (this.announced.get(tenantId) ?? -1)) return;
    const open = this.tenants.get(tenantId);
    if (open) {
      open.pending = Math.max(open.pending, version);
      return;
    }
    this.emit(tenantId, version);
  }

  close(): void {
    this.closed = true;
    for (const w of this.tenants.values()) if (w.timer) clearTimeout(w.timer);
    this.tenants.clear();
  }

  private emit(tenantId: string, version: number): void {
    this.announced.set(tenantId, version);
    const w: TenantWindow = { sent: version, pending: 0, timer: null };
    this.tenants.set(tenantId, w);
    w.timer = setTimeout(() => {
      this.tenants.delete(tenantId);
      if (!this.closed && w.pending > w.sent) this.emit(tenantId, w.pending);
    }, this.windowMs);
    // A window must not keep a stopping server alive.
    w.timer.unref();
    this.send(tenantId, version);
  }
}

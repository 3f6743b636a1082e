// The reconnect backoff's cap while the last connection is recent: short outages end in seconds, long ones back off.
import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../../src-main/sync/poke-socket';

describe('reconnectDelay with a recent connection', () => {
  it.each([
    // attempt, random, recent cap → ms (base 250, max 30 s)
    [0, 1, 2_000, 250], [3, 1, 2_000, 2_000], [10, 0, 2_000, 1_000], [10, 1, 2_000, 2_000], [10, 1, undefined, 30_000],
  ])('attempt %i with random %d and cap %s → %i ms', (attempt, random, cap, ms) => expect(reconnectDelay(attempt, 250, 30_000, () => random, cap)).toBe(ms));

  it('never caps below the first delay (a client configured to wait long keeps waiting long)', () => {
    expect(reconnectDelay(5, 3_600_000, 3_600_000, () => 1, 2_000)).toBe(3_600_000);
  });
});

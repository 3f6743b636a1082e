// Time-ordered UUIDv7 ids, monotonic within this process, with random bytes drawn from a pool (one syscall per 256 ids).
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

export function createIdGenerator(clock: () => number = Date.now): () => string {
  const pool = new Uint8Array(16 * 256);
  let pos = pool.length;
  let msecs = -Infinity;
  let seq = 0;
  return () => {
    if (pos === pool.length) {
      randomFillSync(pool);
      pos = 0;
    }
    const random = pool.subarray(pos, pos + 16);
    pos += 16;
    const now = clock();
    // As the uuid package does: a fresh random sequence each millisecond, incremented within one, so ids sort by creation.
    if (now > msecs) {
      msecs = now;
      seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    return v7({ msecs, seq, random });
  };
}

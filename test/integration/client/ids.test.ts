// Client-generated ids: UUIDv7, unique and in creation order even within one millisecond.
import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../src-main/core/ids';

describe('createIdGenerator', () => {
  it('makes unique UUIDv7 ids that sort in the order they were made, within a millisecond and across', () => {
    let now = 1_700_000_000_000;
    const newId = createIdGenerator(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 1000 === 0) now += 1;
      ids.push(newId());
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The first 48 bits are the creation time.
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe((1_700_000_000_001).toString(16).padStart(12, '0'));
  });
});

// The mutation window and the upgraders: older mutations brought to the current form, too old or too new refused.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/api/errors';
import { MUTATORS } from '../../../src-shared/mutators/registry';
import { MUTATION_UPGRADES, upgradeMutation } from '../../../src-shared/sync/mutation-versions';
import type { MutationUpgrades } from '../../../src-shared/sync/mutation-versions';
import { MIN_MUTATION_VERSION, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../../../src-shared/sync/sync-protocol';

/** A later protocol's history, made up: v2 renamed leads.create's `surname` to `lastName`, v3 renamed `leads.add`. */
const upgrades: MutationUpgrades = {
  1: { 'leads.add': (m) => ({ name: m.name, args: { ...(m.args as object), source: 'v1' } }) },
  2: {
    'leads.add': (m) => ({ name: 'leads.create', args: m.args }),
    'leads.create': (m) => {
      const { surname, ...rest } = m.args as { surname?: string };
      return { name: m.name, args: { ...rest, lastName: surname } };
    },
  },
};
const window = { oldest: 1, current: 3 };

describe('upgradeMutation', () => {
  it.each([
    ['current form, unchanged', { name: 'leads.create', args: { lastName: 'Lopez' }, protocolVersion: 3 }, { name: 'leads.create', args: { lastName: 'Lopez' } }],
    ['one step: v2 args renamed', { name: 'leads.create', args: { surname: 'Lopez' }, protocolVersion: 2 }, { name: 'leads.create', args: { lastName: 'Lopez' } }],
    ['two steps in order, the mutator renamed on the way', { name: 'leads.add', args: { lastName: 'Lopez' }, protocolVersion: 1 }, { name: 'leads.create', args: { lastName: 'Lopez', source: 'v1' } }],
    ['a mutator no version changed', { name: 'deals.move', args: { id: 'd1' }, protocolVersion: 1 }, { name: 'deals.move', args: { id: 'd1' } }],
  ])('%s', (_what, m, expected) => {
    expect(upgradeMutation(m, upgrades, window)).toEqual(expected);
  });

  it('refuses a mutation older than the window with a reason naming its version (recorded, so it syncs back)', () => {
    const err = (() => {
      try {
        upgradeMutation({ name: 'leads.create', args: {}, protocolVersion: 1 }, upgrades, { oldest: 2, current: 3 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'protocolVersion' }], details: { mutationVersion: 1, oldestAccepted: 2, current: 3 } });
    expect((err as AppError).message).toMatch(/leads\.create .*too old.*protocol 1.*oldest still accepted is 2/);
  });

  it('will not read a mutation from a newer protocol: it waits for the upgrade', () => {
    expect(() => upgradeMutation({ name: 'leads.create', args: {}, protocolVersion: 4 }, upgrades, window)).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
  });
});

describe('the shipped window', () => {
  it('keeps mutations of at least the two versions before the current one, and never outlives the client window', () => {
    expect(MIN_MUTATION_VERSION).toBeLessThanOrEqual(Math.max(1, PROTOCOL_VERSION - 2));
    expect(MIN_MUTATION_VERSION).toBeLessThanOrEqual(MIN_PROTOCOL_VERSION);
  });

  it('has upgraders only inside the window, each chain ending at a registered mutator', () => {
    for (const [from, table] of Object.entries(MUTATION_UPGRADES)) {
      expect(Number(from)).toBeGreaterThanOrEqual(MIN_MUTATION_VERSION);
      expect(Number(from)).toBeLessThan(PROTOCOL_VERSION);
      for (const name of Object.keys(table)) {
        expect(MUTATORS.has(upgradeMutation({ name, args: {}, protocolVersion: Number(from) }).name), `${name} from version ${from}`).toBe(true);
      }
    }
  });
});

// The lead queue's keyboard: which key does what, and that typing in a field never triggers it.

export type QueueKeyAction = 'down' | 'up' | 'first' | 'last' | 'open' | 'toggle' | 'search' | 'qualify' | 'disqualify' | 'call' | 'task' | 'scores';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The event's target is a text field, select or editable content (the component finds out). */
  inField: boolean;
}

const KEYS: Record<string, QueueKeyAction> = {
  j: 'down', ArrowDown: 'down', k: 'up', ArrowUp: 'up', Home: 'first', End: 'last', Enter: 'open', x: 'toggle', '/': 'search',
  q: 'qualify', d: 'disqualify', c: 'call', t: 'task', s: 'scores',
};

/** The shortcuts as the help line lists them. */
export const KEY_HELP = 'j/k or ↑/↓ move · Enter open · x select · / search · q qualify · d disqualify · c log call · t add task · s score factors';

/** The queue action for a key press, or null (a modifier or a field takes the key). */
export function queueKeyAction(press: KeyPress): QueueKeyAction | null {
  if (press.inField || press.ctrlKey || press.metaKey || press.altKey) return null;
  return KEYS[press.key] ?? null;
}

/** The focus index after a move, within [0, count). */
export function moveFocus(current: number, action: 'down' | 'up' | 'first' | 'last', count: number): number {
  if (count <= 0) return -1;
  switch (action) {
    case 'down':
      return Math.min(count - 1, current + 1);
    case 'up':
      return Math.max(0, current - 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
  }
}

/** Keyboard moves between tabs (the WAI-ARIA pattern the Keys and Runs views share). */
import { describe, expect, it } from 'vitest';
import { tabAfterKey } from '../../../renderer/src/lib/tab-keys';

describe('tabAfterKey', () => {
  it('moves with the arrows, wrapping at both ends, and jumps with Home and End', () => {
    expect(tabAfterKey('ArrowRight', 0, 3)).toBe(1);
    expect(tabAfterKey('ArrowRight', 2, 3)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 3)).toBe(2);
    expect(tabAfterKey('ArrowLeft', 1, 3)).toBe(0);
    expect(tabAfterKey('Home', 2, 3)).toBe(0);
    expect(tabAfterKey('End', 0, 3)).toBe(2);
  });

  it('leaves every other key to the browser (Tab goes on into the panel)', () => {
    for (const key of ['Tab', 'Enter', ' ', 'ArrowDown', 'ArrowUp', 'a']) expect(tabAfterKey(key, 0, 2)).toBeNull();
  });
});

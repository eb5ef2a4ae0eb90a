import { describe, expect, expectTypeOf, it } from 'vitest';
import { hostInputSchema, hostSchema, type Host, type HostFields } from '../../../shared/domain/host';

describe('host schemas', () => {
  it('a stored host has exactly the fields of a validated input, plus id and timestamps', () => {
    // checked by tsc (tests are type-checked in CI): the reply shape cannot drift from the input
    expectTypeOf<Omit<Host, 'id' | 'createdAt' | 'updatedAt'>>().toEqualTypeOf<HostFields>();
    const fields = hostInputSchema.parse({ name: 'pve1', address: '192.0.2.1' });
    const stored = { ...fields, id: 'h1', createdAt: 1, updatedAt: 2 };
    expect(hostSchema.parse(stored)).toEqual(stored);
  });

  it('the reply schema strips fields the contract does not name', () => {
    const fields = hostInputSchema.parse({ name: 'pve1', address: '192.0.2.1' });
    const parsed = hostSchema.parse({ ...fields, id: 'h1', createdAt: 1, updatedAt: 2, sudoPassword: 'hunter2' });
    expect(parsed).not.toHaveProperty('sudoPassword');
  });
});

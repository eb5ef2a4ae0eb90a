import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host, ImportReport } from '../../../shared/domain/host';
import { HostStore, exportAnsibleInventory, importAnsibleInventory } from '../../../main/services/inventory';
import { fieldsOf } from '../../../main/services/inventory/host-fields';
import { generateHosts } from './generate-hosts';
import { openVault, type OpenVault } from './vault-fixture';

describe('10,000 hosts: Ansible export -> import round trip, and search speed', () => {
  let source: OpenVault;
  let target: OpenVault;
  let from: HostStore;
  let to: HostStore;
  let text: string;
  let report: ImportReport;

  beforeAll(() => {
    source = openVault();
    target = openVault();
    from = new HostStore(source.vault);
    const seeded = from.upsertMany(generateHosts(10_000).map((input, i) => ({ input, source: `generated #${i}` })));
    expect(seeded.skipped).toEqual([]);
    text = exportAnsibleInventory(from.list());
    to = new HostStore(target.vault);
    report = importAnsibleInventory(to, text, 'bulwark-export.yml');
  }, 120_000);

  afterAll(() => {
    source?.close();
    target?.close();
  });

  it('imports every host into a fresh vault', () => {
    expect(report.skipped).toEqual([]);
    expect(report.added).toHaveLength(10_000);
  });

  it('keeps every field of every host', () => {
    const key = (h: Host) => JSON.stringify(fieldsOf(h));
    const expected = from.list().map(key);
    const actual = to.list().map(key);
    expect(actual.length).toBe(expected.length);
    // compare one by one so a failure shows the host, not a 10,000-line diff
    for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) expect(actual[i]).toBe(expected[i]);
  });

  it('changes nothing when the same export is imported again', () => {
    const again = importAnsibleInventory(to, text, 'bulwark-export.yml');
    expect(again.added.length + again.updated.length).toBe(0);
  });

  it('searches well under 30 ms', () => {
    to.search('warm-up');
    for (const q of ['web', 'prod', '2001:db8', 'web prod', 'no-such-thing']) {
      const times: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        to.search(q);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      // the median, so one GC pause on a busy CI machine does not fail the run
      expect(times[10]).toBeLessThan(30);
    }
  });
});

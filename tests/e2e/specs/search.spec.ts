import { test, expect } from '../fixtures';
import { createVault } from '../steps';

test('search and sort among 10,000 hosts with only a window of rows in the DOM', async ({ app }) => {
  test.skip(!app.web, 'seeds the inventory through the services in the test process');
  const { page } = app;
  await createVault(page);
  // seed through the real services: 10,000 hosts, every 100th tagged gpu
  const entries = Array.from({ length: 10_000 }, (_, i) => ({
    input: {
      name: `node-${String(i).padStart(5, '0')}`,
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      user: i % 3 === 0 ? 'admin' : 'root',
      tags: i % 100 === 0 ? ['gpu', 'lab'] : ['lab'],
      notes: i === 4242 ? 'the one with the flaky NIC' : '',
    },
    source: 'test seed',
  }));
  const report = app.web!.services.hosts.upsertMany(entries);
  expect(report.added).toHaveLength(10_000);
  await page.reload();

  await expect(page.getByTestId('host-count')).toHaveAttribute('data-total', '10000');
  const rendered = await page.getByTestId('host-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(200);

  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('host-search')).toBeFocused();
  await page.getByTestId('host-search').fill('flaky nic');
  await expect(page.getByTestId('host-count')).toHaveAttribute('data-shown', '1');
  await expect(page.getByTestId('host-row')).toHaveAttribute('data-host-name', 'node-04242');

  await page.getByTestId('host-search').fill('node-0990');
  await expect(page.getByTestId('host-count')).toHaveAttribute('data-shown', '10');
  await page.getByTestId('host-search').fill('');
  await page.locator('[data-testid="tag-chip"][data-tag="gpu"]').click();
  await expect(page.getByTestId('host-count')).toHaveAttribute('data-shown', '100');

  // names sort ascending by default; one click reverses
  const nameHeader = page.locator('[role="columnheader"]', { has: page.getByTestId('sort-name') });
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByTestId('host-row').first()).toHaveAttribute('data-host-name', 'node-00000');
  await page.getByTestId('sort-name').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByTestId('host-row').first()).toHaveAttribute('data-host-name', 'node-09900');
  await app.screenshot('inventory-10k');

  // without the filter, scrolling to the end reaches the first host by name, still virtualized
  await page.locator('[data-testid="tag-chip"][data-tag="gpu"]').click();
  await expect(page.getByTestId('host-count')).toHaveAttribute('data-shown', '10000');
  await page.getByTestId('host-table').evaluate((el) => {
    const scroller = el.querySelector('.host-scroll')!;
    scroller.scrollTop = scroller.scrollHeight;
  });
  await expect(page.locator('[data-testid="host-row"][data-host-name="node-00000"]')).toBeVisible();
  expect(await page.getByTestId('host-row').count()).toBeLessThan(200);
});

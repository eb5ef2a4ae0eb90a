import { test, expect } from '../fixtures';

test('the app loads with the CSP in force and no console errors', async ({ app }) => {
  const { page } = app;
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.reload();
  await expect(page.getByTestId('first-run')).toBeVisible();
  // inline script is refused by the CSP the server sends
  const inlineRan = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.head.appendChild(s);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(inlineRan).toBe(false);
  expect(problems.filter((p) => !p.includes('__inline') && !p.includes("script-src 'self'"))).toEqual([]);
});

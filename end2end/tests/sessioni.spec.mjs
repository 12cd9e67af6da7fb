import { test, expect, checkA11y, hydrated, login, firstAccess, invite } from './fixtures.mjs';

test('le mie sessioni: chiudere le altre sessioni dal proprio account', async ({ page, browser }) => {
  // A person of her own: her only sessions are the two of this test.
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  const codice = await invite(page, 'Sara Sessioni', 'sara.sessioni@prova.demo', 'nucleo');
  const altrove = await browser.newContext();
  const p2 = await altrove.newPage();
  await firstAccess(p2, 'sara.sessioni@prova.demo', codice, 'sara-ha-due-computer');
  const qui = await browser.newContext();
  const p3 = await qui.newPage();
  await login(p3, 'sara.sessioni@prova.demo', 'sara-ha-due-computer');
  await p3.goto('/account');
  await hydrated(p3);
  const righe = p3.locator('#elenco-sessioni tbody tr');
  await expect(righe).toHaveCount(2);
  await expect(righe.first()).toContainText('questa sessione');
  await expect(righe.first()).toContainText('Chrome su Linux');
  await checkA11y(p3);
  await p3.getByRole('button', { name: 'Chiudi tutte le altre sessioni' }).click();
  await expect(p3.getByText('Sessioni chiuse: 1.')).toBeVisible();
  await expect(righe).toHaveCount(1);

  // The other browser is signed out at its next request.
  await p2.goto('/account');
  await expect(p2).toHaveURL(/\/login\?next=/);
  await altrove.close();
  await qui.close();
});

import { test, expect, checkA11y, hydrated, login, firstAccess, invite } from './fixtures.mjs';

// A person with an account in one ente is invited by another: the inviting admin gets a
// code to hand over, and the account joins only when its owner enters it.
test("primo accesso con password temporanea e invito accettato con il codice", async ({ page, browser }) => {
  // Comune di Prova adds a new person: a code, shown once.
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  const codice1 = await invite(page, 'Elena Esterna', 'elena.esterna@altro.demo', 'dipendente');
  await expect(page.locator('tr[data-email="elena.esterna@altro.demo"]')).toContainText('Invito in attesa');

  // Elena's first access: the code is a temporary password that only lets her choose hers.
  const ctx = await browser.newContext();
  const elena = await ctx.newPage();
  await login(elena, 'elena.esterna@altro.demo', codice1);
  await expect(elena).toHaveURL(/\/account\?primo=1$/);
  await expect(elena.locator('#primo-accesso')).toContainText('password temporanea');
  await checkA11y(elena);
  await elena.goto('/e/comune-di-prova');
  await expect(elena).toHaveURL(/\/account\?primo=1$/);
  await firstAccess(elena, 'elena.esterna@altro.demo', codice1, 'elena-sceglie-la-sua');
  await elena.getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(elena).toHaveURL(/\/e\/comune-di-prova\/miei-obiettivi$/);
  await page.reload();
  await expect(page.locator('tr[data-email="elena.esterna@altro.demo"]')).toContainText('Attivo');

  // Comune di Esempio invites the same address: its admin learns nothing of the account.
  const ctx2 = await browser.newContext();
  const segretario = await ctx2.newPage();
  await login(segretario, 'segretario@esempio.demo');
  await segretario.goto('/e/comune-di-esempio/utenti');
  await hydrated(segretario);
  const codice2 = await invite(segretario, 'E. Esterna', 'elena.esterna@altro.demo', 'nucleo');
  const riga = segretario.locator('tr[data-email="elena.esterna@altro.demo"]');
  await expect(riga).toContainText('Invito in attesa');
  await expect(riga).toContainText('E. Esterna');
  await expect(riga).not.toContainText('Elena Esterna');
  await checkA11y(segretario);

  // Until Elena enters the code, the invitation grants nothing.
  let r = await elena.goto('/e/comune-di-esempio');
  expect(r.status()).toBe(404);
  await elena.goto('/account');
  await hydrated(elena);
  const invito = elena.locator('#accetta-invito');
  await invito.getByLabel('Codice di invito').fill('codice-inventato');
  await invito.getByRole('button', { name: "Accetta l'invito" }).click();
  await expect(elena.getByRole('alert')).toContainText('Codice non valido o scaduto');
  await invito.getByLabel('Codice di invito').fill(codice2);
  await invito.getByRole('button', { name: "Accetta l'invito" }).click();
  await expect(elena.locator('#invito-accettato')).toContainText('ora fai parte di Comune di Esempio');
  await checkA11y(elena);
  await elena.locator('#invito-accettato').getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(elena.locator('main')).toContainText('Comune di Esempio');
  await expect(elena.locator('main')).toContainText('Comune di Prova');
  r = await elena.goto('/e/comune-di-esempio');
  expect(r.status()).toBe(200);
  await segretario.reload();
  await expect(segretario.locator('tr[data-email="elena.esterna@altro.demo"]')).toContainText('Attivo');
  await ctx.close();
  await ctx2.close();
});

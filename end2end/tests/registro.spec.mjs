import { test, expect, checkA11y, hydrated, login, invite } from './fixtures.mjs';

test("registro attività dell'ente e accessi recenti della piattaforma", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  await invite(page, 'Rita Registro', 'rita.registro@prova.demo', 'nucleo');
  await page.goto('/e/comune-di-prova');
  await page.getByRole('link', { name: 'Registro attività' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/registro$/);
  const prima = page.locator('#registro-attivita tbody tr').first();
  await expect(prima).toContainText('Persona aggiunta (invito)');
  await expect(prima).toContainText('rita.registro@prova.demo');
  await expect(prima).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await checkA11y(page);

  // A wrong password, then the platform administrator reads the access log.
  await login(page, 'admin@obiettivi.demo', 'password-sbagliata');
  await expect(page.locator('#errore-accesso')).toBeVisible();
  await login(page, 'admin@obiettivi.demo');
  await page.goto('/admin');
  const righe = page.locator('#accessi-recenti tbody tr');
  await expect(righe.first()).toContainText('admin@obiettivi.demo');
  await expect(righe.first()).toContainText('Accesso riuscito');
  await expect(righe.nth(1)).toContainText('Accesso non riuscito');
  await expect(righe.first()).toContainText('127.0.0.1');
  await checkA11y(page);
});

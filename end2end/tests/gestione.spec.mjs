import { test, expect, checkA11y, hydrated, login, firstAccess } from './fixtures.mjs';

test("l'amministratore della piattaforma crea uno studio con il primo consulente", async ({ page, browser }) => {
  await login(page, 'admin@obiettivi.demo');
  await page.getByRole('link', { name: 'Gestisci gli studi di consulenza' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await hydrated(page);
  await checkA11y(page);
  const form = page.locator('#nuovo-studio');
  await form.getByLabel('Nome dello studio').fill('Studio Rossi & Associati');
  await form.getByLabel('Primo consulente: nome e cognome').fill('Marta Rossi');
  await form.getByLabel('Primo consulente: e-mail').fill('marta@studiorossi.demo');
  await form.getByRole('button', { name: 'Crea studio' }).click();
  const otp = page.locator('code.otp');
  await expect(otp).toBeVisible();
  const password = (await otp.textContent()).trim();
  await expect(page.locator('#elenco-studi')).toContainText('Studio Rossi & Associati');
  // The same name again: said in Italian.
  await form.getByRole('button', { name: 'Crea studio' }).click();
  await expect(page.getByRole('alert')).toContainText('Esiste già uno studio chiamato «Studio Rossi & Associati».');

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await firstAccess(p2, 'marta@studiorossi.demo', password);
  await p2.getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(p2.locator('main')).toContainText('Studio Rossi & Associati');
  await expect(p2.locator('main')).toContainText('Non hai accesso ad alcun ente.');
  await other.close();
});

test('il consulente crea un ente e un collega', async ({ page }) => {
  await login(page, 'consulente@studiodemo.it');
  await page.getByRole('link', { name: 'consulenti e nuovi enti' }).click();
  await expect(page).toHaveURL(/\/studio\/consulenti$/);
  await hydrated(page);
  await checkA11y(page);
  const ente = page.locator('#nuovo-ente');
  await ente.getByLabel(/Denominazione/).fill("Comune di Sant'Agata sul Fiume");
  await ente.getByLabel(/Provincia/).fill('Provincia di Esempio');
  await ente.getByLabel(/Codice ISTAT/).fill('12a');
  await ente.getByRole('button', { name: 'Crea ente' }).click();
  await expect(page.getByRole('alert')).toContainText('Il codice ISTAT è formato da 6 cifre.');
  await ente.getByLabel(/Codice ISTAT/).fill('099123');
  await ente.getByRole('button', { name: 'Crea ente' }).click();
  await page.getByRole('link', { name: 'Entra nel nuovo ente' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-sant-agata-sul-fiume$/);
  await expect(page.locator('h1')).toHaveText("Comune di Sant'Agata sul Fiume");
  await expect(page.locator('#ruolo')).toHaveText('Consulente');

  await page.goto('/studio/consulenti');
  await hydrated(page);
  const coll = page.locator('#nuovo-consulente');
  await coll.getByLabel('Nome e cognome').fill('Bruno Collega');
  await coll.getByLabel('Indirizzo e-mail').fill('bruno@studiodemo.it');
  await coll.getByRole('button', { name: 'Aggiungi consulente' }).click();
  await expect(page.locator('code.otp')).toBeVisible();
  await expect(page.locator('#elenco-consulenti')).toContainText('bruno@studiodemo.it');
});

test("l'amministratore dell'ente cambia ruolo, disattiva e reimposta la password", async ({ page, browser }) => {
  // A user of its own, so that the demo accounts other tests use stay as they are.
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  // The segretario is also admin of Comune di Esempio: only they may change their password.
  const segretario = page.locator('tr[data-email="segretario@esempio.demo"]');
  await expect(segretario).toContainText('Account usato anche altrove: la cambia solo il titolare');
  await expect(segretario.getByRole('button', { name: 'Reimposta' })).toHaveCount(0);
  const form = page.locator('#nuovo-utente');
  await form.getByLabel('Nome e cognome').fill('Giulia Gestione');
  await form.getByLabel('Indirizzo e-mail').fill('giulia.gestione@prova.demo');
  await form.getByLabel('Ruolo').selectOption('nucleo');
  await form.getByRole('button', { name: 'Aggiungi utente' }).click();
  const riga = () => page.locator('tr[data-email="giulia.gestione@prova.demo"]');
  await expect(riga()).toBeVisible();
  await expect(riga()).toContainText('Invito in attesa');
  const iniziale = (await page.locator('code.otp').textContent()).trim();

  await riga().getByLabel('Ruolo di Giulia Gestione').selectOption('responsabile');
  await riga().getByRole('button', { name: 'Salva' }).click();
  await expect(page.getByText('Ruolo aggiornato.')).toBeVisible();
  await expect(riga().getByLabel('Ruolo di Giulia Gestione')).toHaveValue('responsabile');

  // Not used yet: a new code replaces the first.
  await riga().getByRole('button', { name: 'Nuovo codice' }).click();
  // Both notices are on screen now: the reset one carries the other code.
  await expect(page.locator('code.otp')).toHaveCount(2);
  const password = (await page.locator('code.otp').allTextContents()).map((t) => t.trim()).find((t) => t !== iniziale);
  expect(password).toBeTruthy();

  await riga().getByRole('button', { name: 'Disattiva' }).click();
  await expect(riga()).toContainText('Disattivato');
  await checkA11y(page);

  // The first code no longer works; the new one does, but the disabled account does not
  // enter the ente.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await login(p2, 'giulia.gestione@prova.demo', iniziale);
  await expect(p2.locator('#errore-accesso')).toHaveText('E-mail o password non corretti.');
  await firstAccess(p2, 'giulia.gestione@prova.demo', password);
  await p2.getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(p2.locator('main')).toContainText('Non hai accesso ad alcun ente.');
  const r = await p2.goto('/e/comune-di-prova');
  expect(r.status()).toBe(404);
  await other.close();

  await riga().getByRole('button', { name: 'Riattiva' }).click();
  await expect(riga()).toContainText('Attivo');
});

import { test, expect, checkA11y, hydrated, login, firstAccess } from './fixtures.mjs';

const landings = [
  { email: 'admin@obiettivi.demo', url: /\/$/, text: 'Amministrazione della piattaforma' },
  { email: 'consulente@studiodemo.it', url: /\/$/, text: 'Studio Demo' },
  { email: 'segretario@esempio.demo', url: /\/$/, text: 'I tuoi enti' },
  { email: 'responsabile@esempio.demo', url: /\/e\/comune-di-esempio$/, text: 'Responsabile di struttura' },
  { email: 'dipendente@esempio.demo', url: /\/e\/comune-di-esempio\/miei-obiettivi$/, text: 'I miei obiettivi' },
  { email: 'nucleo@esempio.demo', url: /\/e\/comune-di-esempio$/, text: 'Nucleo di Valutazione / OIV' },
  { email: 'admin@prova.demo', url: /\/e\/comune-di-prova$/, text: "Amministratore dell'ente" },
];

for (const { email, url, text } of landings) {
  test(`accesso come ${email}`, async ({ page }) => {
    await login(page, email);
    await expect(page).toHaveURL(url);
    await expect(page.locator('main')).toContainText(text);
    await hydrated(page);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Esci' }).click();
    await expect(page).toHaveURL(/\/login\?uscito=1$/);
    await expect(page.getByRole('status')).toContainText('Sei uscito');
    // After logout the workspace is closed.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
}

test('chi sceglie tra più enti entra in quello scelto', async ({ page }) => {
  await login(page, 'segretario@esempio.demo');
  await hydrated(page);
  await page.getByRole('link', { name: 'Comune di Prova' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova$/);
  await expect(page.locator('h1')).toHaveText('Comune di Prova');
  // Back to the choice from inside an ente, then into the other one.
  await hydrated(page);
  await page.locator('#cambia-ente').click();
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('link', { name: 'Comune di Esempio' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-esempio$/);
  await expect(page.locator('h1')).toHaveText('Comune di Esempio');
});

test('chi ha un solo ente non vede «Cambia ente»', async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await expect(page).toHaveURL(/\/e\/comune-di-prova$/);
  await hydrated(page);
  // The menu is there (its ente), without the way to another one.
  await expect(page.locator('#ente-corrente')).toHaveText('Comune di Prova');
  await expect(page.locator('#cambia-ente')).toHaveCount(0);
});

test("l'URL di un altro ente risponde «non trovato»", async ({ page }) => {
  await login(page, 'admin@prova.demo');
  await expect(page).toHaveURL(/\/e\/comune-di-prova$/);
  const resp = await page.goto('/e/comune-di-esempio');
  expect(resp.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Pagina non trovata');
  await expect(page.locator('main')).not.toContainText('Comune di Esempio');
  await checkA11y(page);
  const resp2 = await page.goto('/e/comune-di-esempio/utenti');
  expect(resp2.status()).toBe(404);
});

test('credenziali sbagliate: messaggio chiaro, e-mail conservata', async ({ page }) => {
  await login(page, 'segretario@esempio.demo', 'password-sbagliata');
  await expect(page.locator('#errore-accesso')).toHaveText('E-mail o password non corretti.');
  await expect(page.locator('#email')).toHaveValue('segretario@esempio.demo');
  await checkA11y(page);
});

test("l'amministratore crea un utente, che poi accede", async ({ page, browser }) => {
  await login(page, 'admin@prova.demo');
  await page.getByRole('link', { name: 'Gestisci gli utenti' }).click();
  await expect(page).toHaveURL(/\/e\/comune-di-prova\/utenti$/);
  await hydrated(page);
  await checkA11y(page);
  const form = page.locator('#nuovo-utente');
  await form.getByLabel('Nome e cognome').fill('Luca Nuovo');
  await form.getByLabel('Indirizzo e-mail').fill('luca.nuovo@prova.demo');
  await form.getByLabel('Ruolo').selectOption('responsabile');
  await form.getByRole('button', { name: 'Aggiungi utente' }).click();
  const otp = page.locator('code.otp');
  await expect(otp).toBeVisible();
  const password = (await otp.textContent()).trim();
  await expect(page.locator('#elenco-utenti')).toContainText('luca.nuovo@prova.demo');
  await checkA11y(page);

  // Wrong input: said in Italian, nothing lost.
  await form.getByLabel('Nome e cognome').fill('Senza Mail');
  await form.getByLabel('Indirizzo e-mail').fill('non-una-mail@x');
  await form.getByRole('button', { name: 'Aggiungi utente' }).click();
  await expect(page.getByRole('alert')).toContainText('Indirizzo e-mail non valido.');

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await firstAccess(p2, 'luca.nuovo@prova.demo', password);
  await p2.getByRole('link', { name: 'Vai ai tuoi enti' }).click();
  await expect(p2).toHaveURL(/\/e\/comune-di-prova$/);
  await expect(p2.locator('#ruolo')).toHaveText('Responsabile di struttura');
  await other.close();
});

test('cambio password', async ({ page }) => {
  await login(page, 'nucleo@esempio.demo');
  await page.getByRole('link', { name: 'Il mio account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await checkA11y(page);
  await page.getByLabel('Password attuale').fill('demo-obiettivi');
  await page.getByLabel(/Nuova password/).fill('una-nuova-password');
  await page.getByLabel('Conferma la nuova password').fill('una-password-diversa');
  await page.getByRole('button', { name: 'Cambia password' }).click();
  await expect(page.getByRole('alert')).toContainText('non coincidono');
  await page.getByLabel('Conferma la nuova password').fill('una-nuova-password');
  await page.getByRole('button', { name: 'Cambia password' }).click();
  await expect(page.getByText('Password cambiata.')).toBeVisible();
  await page.getByRole('button', { name: 'Esci' }).click();
  await login(page, 'nucleo@esempio.demo', 'una-nuova-password');
  await expect(page).toHaveURL(/\/e\/comune-di-esempio$/);
});

test('troppi tentativi: accesso limitato con messaggio chiaro', async ({ page }) => {
  for (let i = 0; i < 11; i++) {
    await login(page, 'qualcuno@inesistente.demo', 'tentativo-' + i);
  }
  await expect(page.locator('#errore-accesso')).toContainText('Troppi tentativi di accesso');
});

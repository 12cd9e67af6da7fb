import crypto from 'node:crypto';
import { test, expect, checkA11y, hydrated, login, firstAccess, invite } from './fixtures.mjs';

/** RFC 4648 base32, as the page shows the secret. */
function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '')) bits += abc.indexOf(c).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it. */
function totp(secret, seconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const h = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return ((h.readUInt32BE(o) & 0x7fffffff) % 1000000).toString().padStart(6, '0');
}

test('verifica in due passaggi: attivazione, accesso con il codice e con un codice di recupero', async ({ page, browser }) => {
  // A person of her own, so that the demo accounts stay as they are.
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  const codice = await invite(page, 'Tina Totp', 'tina.totp@prova.demo', 'responsabile');

  const ctx = await browser.newContext();
  const tina = await ctx.newPage();
  await firstAccess(tina, 'tina.totp@prova.demo', codice, 'tina-ha-il-telefono');
  await tina.getByRole('button', { name: 'Attiva la verifica in due passaggi' }).click();
  await expect(tina.locator('#iscrizione-2fa svg')).toBeVisible();
  const segreto = (await tina.locator('#segreto-2fa').textContent()).trim();
  await checkA11y(tina);
  await tina.getByLabel(/codice di 6 cifre/).fill('000000' === totp(segreto) ? '111111' : '000000');
  await tina.getByRole('button', { name: 'Conferma e attiva' }).click();
  await expect(tina.getByRole('alert')).toContainText('Codice non corretto');
  await tina.getByLabel(/codice di 6 cifre/).fill(totp(segreto));
  await tina.getByRole('button', { name: 'Conferma e attiva' }).click();
  await expect(tina.locator('#codici-recupero li')).toHaveCount(10);
  const recupero = (await tina.locator('#codici-recupero li').first().textContent()).trim();
  await expect(tina.locator('#stato-2fa')).toContainText('attiva');
  await checkA11y(tina);
  await tina.getByRole('button', { name: 'Esci' }).click();

  // The password alone no longer opens the account: the code is asked.
  await login(tina, 'tina.totp@prova.demo', 'tina-ha-il-telefono');
  await expect(tina).toHaveURL(/\/login\/codice$/);
  await checkA11y(tina);
  await tina.goto('/e/comune-di-prova');
  await expect(tina).toHaveURL(/\/login\?next=/);
  await login(tina, 'tina.totp@prova.demo', 'tina-ha-il-telefono');
  await tina.getByLabel("Codice dell'app di autenticazione").fill('123456' === totp(segreto) ? '654321' : '123456');
  await tina.getByRole('button', { name: 'Verifica' }).click();
  await expect(tina.locator('#errore-codice')).toContainText('Codice non corretto');
  // The code of the next 30 seconds (apps and servers allow one step of clock skew): the one
  // used to enrol was used already.
  await tina.getByLabel("Codice dell'app di autenticazione").fill(totp(segreto, Date.now() / 1000 + 30));
  await tina.getByRole('button', { name: 'Verifica' }).click();
  await expect(tina).toHaveURL(/\/e\/comune-di-prova$/);
  await tina.getByRole('button', { name: 'Esci' }).click();

  // Without the phone: a recovery code, once.
  await login(tina, 'tina.totp@prova.demo', 'tina-ha-il-telefono');
  await tina.getByLabel("Codice dell'app di autenticazione").fill(recupero);
  await tina.getByRole('button', { name: 'Verifica' }).click();
  await expect(tina).toHaveURL(/\/e\/comune-di-prova$/);
  await tina.goto('/account');
  await expect(tina.locator('#stato-2fa')).toContainText('ancora utilizzabili: 9');
  await tina.getByRole('button', { name: 'Esci' }).click();
  await login(tina, 'tina.totp@prova.demo', 'tina-ha-il-telefono');
  await tina.getByLabel("Codice dell'app di autenticazione").fill(recupero);
  await tina.getByRole('button', { name: 'Verifica' }).click();
  await expect(tina.locator('#errore-codice')).toBeVisible();
  await ctx.close();
});

test("l'amministratore dell'ente rende obbligatoria la verifica in due passaggi", async ({ page, browser }) => {
  await login(page, 'admin@prova.demo');
  await page.goto('/e/comune-di-prova/utenti');
  await hydrated(page);
  const codice = await invite(page, 'Oscar Obbligo', 'oscar.obbligo@prova.demo', 'nucleo');
  const obbligo = page.locator('#richiedi-2fa');
  // Bootstrap Italia draws the box on the label: a person clicks the label.
  const casella = obbligo.getByLabel(/Richiedi la verifica in due passaggi/);
  await obbligo.locator('label[for="r2-obbligo"]').click();
  await expect(casella).toBeChecked();
  await obbligo.getByRole('button', { name: 'Salva' }).click();
  await expect(page.getByText('Impostazione salvata.')).toBeVisible();
  await checkA11y(page);

  const ctx = await browser.newContext();
  const oscar = await ctx.newPage();
  await firstAccess(oscar, 'oscar.obbligo@prova.demo', codice, 'oscar-sceglie-la-sua');
  await oscar.goto('/e/comune-di-prova');
  await expect(oscar).toHaveURL(/\/account\?richiesto=2fa$/);
  await expect(oscar.locator('#richiesta-2fa')).toBeVisible();
  await attiva(oscar);
  // Required: it cannot be turned off.
  await expect(oscar.locator('#disattiva-2fa')).toHaveCount(0);
  const r = await oscar.goto('/e/comune-di-prova');
  expect(r.status()).toBe(200);
  await ctx.close();

  // Back as it was, for the other tests.
  await obbligo.locator('label[for="r2-obbligo"]').click();
  await expect(casella).not.toBeChecked();
  await obbligo.getByRole('button', { name: 'Salva' }).click();
  await expect(page.getByText('Impostazione salvata.')).toBeVisible();
});

/** Sets up the second factor on the account page (already open); returns the secret. */
async function attiva(page) {
  await hydrated(page);
  await page.getByRole('button', { name: 'Attiva la verifica in due passaggi' }).click();
  const segreto = (await page.locator('#segreto-2fa').textContent()).trim();
  await page.getByLabel(/codice di 6 cifre/).fill(totp(segreto));
  await page.getByRole('button', { name: 'Conferma e attiva' }).click();
  await expect(page.locator('#codici-recupero li')).toHaveCount(10);
  return segreto;
}

test('lo studio rende obbligatoria la verifica in due passaggi per tutti i suoi consulenti', async ({ page, browser }) => {
  // A firm of its own, so that the demo's consultant stays as it is.
  await login(page, 'admin@obiettivi.demo');
  await page.goto('/admin');
  await hydrated(page);
  const form = page.locator('#nuovo-studio');
  await form.getByLabel('Nome dello studio').fill('Studio Sicuro');
  await form.getByLabel('Primo consulente: nome e cognome').fill('Sara Sicura');
  await form.getByLabel('Primo consulente: e-mail').fill('sara@studiosicuro.demo');
  await form.getByRole('button', { name: 'Crea studio' }).click();
  const codiceSara = (await page.locator('code.otp').textContent()).trim();

  const ctxSara = await browser.newContext();
  const sara = await ctxSara.newPage();
  await firstAccess(sara, 'sara@studiosicuro.demo', codiceSara, 'sara-sceglie-la-sua');
  await sara.goto('/studio/consulenti');
  await hydrated(sara);
  const coll = sara.locator('#nuovo-consulente');
  await coll.getByLabel('Nome e cognome').fill('Ugo Collega');
  await coll.getByLabel('Indirizzo e-mail').fill('ugo@studiosicuro.demo');
  await coll.getByRole('button', { name: 'Aggiungi consulente' }).click();
  const codiceUgo = (await sara.locator('code.otp').textContent()).trim();

  const obbligo = sara.locator('#richiedi-2fa-studio');
  const casella = obbligo.getByLabel(/Richiedi la verifica in due passaggi a tutti i consulenti/);
  await expect(casella).not.toBeChecked();
  await obbligo.locator('label[for="r2s-obbligo"]').click();
  await expect(casella).toBeChecked();
  await obbligo.getByRole('button', { name: 'Salva' }).click();
  await expect(sara.getByText('Impostazione salvata.')).toBeVisible();
  await checkA11y(sara);

  // The consultant who asked must set it up before anything else, as must the colleague.
  await sara.goto('/studio/consulenti');
  await expect(sara).toHaveURL(/\/account\?richiesto=2fa$/);
  await attiva(sara);
  const r = await sara.goto('/studio/consulenti');
  expect(r.status()).toBe(200);
  await expect(sara.locator('#richiedi-2fa-studio input[type=checkbox]')).toBeChecked();

  const ctxUgo = await browser.newContext();
  const ugo = await ctxUgo.newPage();
  await firstAccess(ugo, 'ugo@studiosicuro.demo', codiceUgo, 'ugo-sceglie-la-sua');
  await ugo.goto('/studio/consulenti');
  await expect(ugo).toHaveURL(/\/account\?richiesto=2fa$/);
  await expect(ugo.locator('#richiesta-2fa')).toBeVisible();
  await attiva(ugo);
  // Required: it cannot be turned off.
  await expect(ugo.locator('#disattiva-2fa')).toHaveCount(0);
  await ctxUgo.close();
  await ctxSara.close();

  // The consultant of another firm is not asked.
  await login(page, 'consulente@studiodemo.it');
  await page.goto('/studio/consulenti');
  await expect(page).toHaveURL(/\/studio\/consulenti$/);
  await expect(page.locator('#richiedi-2fa-studio input[type=checkbox]')).not.toBeChecked();
});

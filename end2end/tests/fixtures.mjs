// Shared test helpers: every page a test visits is checked with axe-core (WCAG 2.1 AA).
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Every page runs under the Content-Security-Policy: any violation is a defect.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violata: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    // Expected refusals (a 404 page, a 422 from a server function) are the app speaking;
    // a missing script, style, font or icon is a defect.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      const kind = r.request().resourceType();
      if (r.status() >= 400 && kind !== 'document' && !path.startsWith('/api/')) {
        errors.push(`${r.status()} ${path}`);
      }
    });
    await use(page);
    expect(errors, 'errori nella console del browser').toEqual([]);
  },
});
export { expect };

/** Fails on any WCAG 2.1 A/AA violation of impact serious or critical. */
export async function checkA11y(page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** Waits until the wasm has hydrated the page: buttons have their handlers from then on. */
export async function hydrated(page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export const DEMO_PASSWORD = 'demo-obiettivi';

/** Signs in through the login form, as a person would. */
export async function login(page, email, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.getByRole('button', { name: 'Accedi' }).click();
}

/**
 * The first access with a code someone handed over: sign in with it, land on the account
 * page, choose one's own password. Returns with the page on «Il mio account».
 */
export async function firstAccess(page, email, code, newPassword = 'la-mia-password-scelta') {
  await login(page, email, code);
  await expect(page).toHaveURL(/\/account\?primo=1$/);
  await expect(page.locator('#primo-accesso')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Password attuale').fill(code);
  await page.getByLabel(/Nuova password/).fill(newPassword);
  await page.getByLabel('Conferma la nuova password').fill(newPassword);
  await page.getByRole('button', { name: 'Cambia password' }).click();
  await expect(page.getByText('Password cambiata.')).toBeVisible();
}

/**
 * On the users page of `slug` (already open and hydrated), adds a person as an admin does;
 * returns the code shown once.
 */
export async function invite(page, name, email, role) {
  const form = page.locator('#nuovo-utente');
  await form.getByLabel('Nome e cognome').fill(name);
  await form.getByLabel('Indirizzo e-mail').fill(email);
  await form.getByLabel('Ruolo').selectOption(role);
  await form.getByRole('button', { name: 'Aggiungi utente' }).click();
  const otp = page.locator('code.otp').last();
  await expect(otp).toBeVisible();
  return (await otp.textContent()).trim();
}

// A signing certificate and its key as a PKCS#12 file, as a certification authority hands it out.
export function creaP12(nome, password) {
  const d = mkdtempSync(join(tmpdir(), 'p12-'));
  const p = (n) => join(d, n);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('k.pem'), '-out', p('c.pem'),
    '-days', '30', '-subj', `/CN=${nome}`], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', p('k.pem'), '-in', p('c.pem'), '-out', p('a.p12'),
    '-passout', `pass:${password}`], { stdio: 'pipe' });
  return readFileSync(p('a.p12'));
}

import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3230';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
async function login(e) { await p.goto(base + '/login'); await p.fill('#email', e); await p.fill('#password', 'demo-obiettivi'); await p.getByRole('button', { name: 'Accedi' }).click(); await p.waitForLoadState('networkidle'); }
await login('consulente@studiodemo.it');
await p.goto(base + '/libreria'); await p.screenshot({ path: '/tmp/s1.png', fullPage: false });
await p.locator('#elenco-modelli a').nth(3).click(); await p.waitForLoadState('networkidle'); await p.screenshot({ path: '/tmp/s2.png', fullPage: true });
await p.goto(base + '/e/comune-di-prova/piani/2022'); await p.waitForSelector('body[data-hydrated="true"]');
const s = p.locator('section.struttura').first();
await s.getByRole('button', { name: 'Aggiungi dalla libreria' }).click();
await p.waitForSelector('.modello-risultato');
await s.locator('.pannello-libreria').scrollIntoViewIfNeeded();
await s.locator('.pannello-libreria').screenshot({ path: '/tmp/s3.png' });
await b.close();

// End-to-end tests: Cairn's real binary, driven through Debian's Chromium with
// playwright-core, with axe-core checking every page a scenario lands on.
//
//   CAIRN_BIN=build/cairn node tests/e2e/run.mjs        (make e2e)
//
// Plain Node (18 or later), no test framework. Starts its own server on a free loopback
// port with a fresh database and demo data, runs the scenarios in order, prints one line
// per scenario and exits non-zero if any failed. Talks only to 127.0.0.1.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const BIN = process.env.CAIRN_BIN;
const CHROMIUM = process.env.CAIRN_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'cairn-demo-password';
const CASE_WORKER = 'caseworker@demo.cairn.scot';
const FIFE_CASE_WORKER = 'caseworker.fife@demo.cairn.scot';
const ADMIN = 'admin@demo.cairn.scot';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const REFERENCE = /\bR-[0-9A-Z]{4}-[0-9A-Z]{4}\b/;
// Guards against a hang, not targets: each scenario's own limit (60 s unless its entry in
// `scenarios` gives another), and the whole run's, their sum and a minute for setting up.
const SCENARIO_MS = 60 * 1000;

if (!BIN) {
  console.error('e2e: set CAIRN_BIN to the cairn binary (make e2e does)');
  process.exit(2);
}

// ---- small helpers --------------------------------------------------------------------

class Failure extends Error {}

function assert(cond, message) {
  if (!cond) throw new Failure(message);
}

function equal(actual, expected, what) {
  if (actual !== expected)
    throw new Failure(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The status of a GET, or 0 when nothing answers (node:http rather than fetch, which
// Node 18 still flags as experimental).
function getStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => { req.destroy(); resolve(0); });
  });
}

// Dates as the service sees them: the civil date in Europe/London.
function londonToday() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(new Date());
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

function addMonths({ y, m, d }, months) {
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return { y: ny, m: nm, d: Math.min(d, last) };
}

const pad = (n) => String(n).padStart(2, '0');
const ukDate = ({ y, m, d }) => `${pad(d)}/${pad(m)}/${y}`;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const longDate = ({ y, m, d }) => `${d} ${MONTHS[m - 1]} ${y}`;

// An order imposed on the 10th of last month: always in the past, never more than 5 years.
function orderDate() {
  const t = londonToday();
  return { ...addMonths(t, -1), d: 10 };
}

// ---- the server -----------------------------------------------------------------------

const work = mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-'));
const db = path.join(work, 'cairn.db');
const mailDir = path.join(work, 'mail');
mkdirSync(mailDir);
let server = null;
let serverLog = '';
let browser = null;

function runBin(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${path.basename(BIN)} ${args[0]} failed (${r.status}): ${r.stderr || r.stdout}`);
}

// The London day the demo data was made for: its sessions are "yesterday" and "today" of
// that day, which a run that crosses midnight must keep using.
let demoDay = null;

async function startServer(port, base) {
  runBin(['migrate', '--db', db]);
  demoDay = londonToday();
  runBin(['demo-data', '--db', db]);
  server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--mail-dir', mailDir,
    '--base-url', base, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => { serverLog = (serverLog + chunk).slice(-20000); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(({ code, signal }) => { server.exitedWith = code ?? signal; });
  server.exited = exited;
  for (let i = 0; i < 100; i++) {
    const early = await Promise.race([exited, sleep(100).then(() => null)]);
    if (early) throw new Error(`the server exited at start (${early.code ?? early.signal}):\n${serverLog}`);
    if ((await getStatus(`${base}/healthz`)) === 200) return;
  }
  throw new Error(`the server did not answer /healthz within 10 s:\n${serverLog}`);
}

async function stopServer() {
  if (!server) return null;
  if (server.exitCode !== null || server.signalCode !== null)
    return `the server had stopped before the end (${server.exitCode ?? server.signalCode})`;
  server.kill('SIGTERM');
  const result = await Promise.race([server.exited, sleep(10000).then(() => null)]);
  if (!result) {
    server.kill('SIGKILL');
    return 'the server did not stop within 10 s of SIGTERM';
  }
  if (result.code !== 0) return `the server exited with ${result.code ?? result.signal} after SIGTERM`;
  return null;
}

// ---- pages and accessibility ----------------------------------------------------------

// Every document a page loads must be checked with axe before the scenario moves on:
// `landed` checks it, and `allChecked` fails a scenario that left one unchecked.
const pages = [];
let axeRuns = 0;
let axeMs = 0;

async function newPage(context, label, { noScript = false } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.cairn = { label, noScript, loads: 0, checked: 0, problems: [] };
  page.on('domcontentloaded', () => { page.cairn.loads += 1; });
  page.on('pageerror', (e) => page.cairn.problems.push(`script error: ${e.message}`));
  // Errors in the console (a script error, a CSP refusal) and failed sub-resources are
  // problems; a 400 or 404 for the page itself is what some scenarios expect.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      page.cairn.problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      page.cairn.problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1')
      page.cairn.problems.push(`request to ${r.url()}`);
  });
  pages.push(page);
  return page;
}

// axe cannot run in a page whose JavaScript is off (its timers never fire), so a page
// seen without JavaScript is checked as a copy: the same HTML, at the same address, in a
// page of a JavaScript-enabled context whose own scripts are kept from running.
let mirror = null;

// Legacy mode runs axe inside the page alone; the default mode opens an extra blank page
// per run to merge frame results, which costs seconds and Cairn's pages have no frames.
function axeBuilder(page) {
  return new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true);
}

async function analyze(page) {
  if (!page.cairn.noScript) return axeBuilder(page).analyze();
  if (!mirror) {
    const context = await newContext();
    const m = { context, page: await context.newPage(), html: '' };
    await m.page.route('**/*', (route) => {
      const req = route.request();
      if (req.isNavigationRequest())
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: m.html });
      if (req.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    mirror = m;
  }
  mirror.html = await page.content();
  await mirror.page.goto(page.url());
  return axeBuilder(mirror.page).analyze();
}

// Runs axe on the page as it is now; fails on any violation, naming the rule and elements.
async function landed(page, what) {
  await page.waitForLoadState('load');
  const t0 = Date.now();
  const result = await analyze(page);
  axeMs += Date.now() - t0;
  axeRuns += 1;
  page.cairn.checked = page.cairn.loads;
  if (result.violations.length) {
    const lines = result.violations.map((v) => `  axe ${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n'));
    throw new Failure(`accessibility violations on ${what} (${page.url()}):\n${lines.join('\n')}`);
  }
  if (page.cairn.problems.length)
    throw new Failure(`on ${what}: ${page.cairn.problems.join('; ')}`);
}

function allChecked() {
  for (const page of pages) {
    if (page.isClosed()) continue;
    assert(page.cairn.checked >= page.cairn.loads,
      `${page.cairn.label}: a page was loaded but not checked with axe (${page.url()})`);
    assert(page.cairn.problems.length === 0, `${page.cairn.label}: ${page.cairn.problems.join('; ')}`);
  }
}

async function expectHeading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

async function signIn(page, base, email, what = 'the sign-in page') {
  await page.goto(`${base}/sign-in`);
  await landed(page, what);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await landed(page, 'the start page after signing in');
}

// Signs a context in over HTTP, without landing on a page: for scenarios whose subject is
// not signing in (the sign-in page itself is checked where a person signs in).
async function signInQuietly(context, base, email, password = PASSWORD) {
  const form = await context.request.get(`${base}/sign-in`);
  const m = /name="csrf_token" value="([^"]+)"/.exec(await form.text());
  assert(m, 'a CSRF token on the sign-in page');
  const res = await context.request.post(`${base}/sign-in`, {
    form: { csrf_token: m[1], email, password, next: '/' },
    headers: { Origin: base },
    maxRedirects: 0,
  });
  equal(res.status(), 303, `signing in as ${email}`);
}

async function newContext(options = {}) {
  // Reduced motion: the design system scrolls smoothly otherwise, and a moving page makes
  // clicks wait for it to settle.
  return browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London', reducedMotion: 'reduce', ...options });
}

// ---- scenarios --------------------------------------------------------------------------

const state = { stamp: Date.now().toString(36) };

// Fills the referral form as a case worker would, by its labels; returns how many fields
// were typed in and how many characters.
async function fillReferral(page, client, order, { prefilledByScript }) {
  const typed = [
    ['First name', client.first],
    ['Last name', client.last],
    ['Date of birth', '23/03/1989'],
    ['Email address', client.email],
    ['Court order reference', order.court],
    ['Date the order was imposed', ukDate(order.date)],
    ['Unpaid work hours imposed', String(order.hours)],
  ];
  for (const [label, value] of typed) await page.getByLabel(label, { exact: true }).fill(value);
  if (prefilledByScript) {
    const share = Math.floor((order.hours * 30) / 100);
    const level = order.hours <= 100 ? 3 : 6;
    equal(await page.getByLabel('Other activity hours with this service').inputValue(), String(share),
      'other activity hours pre-filled by the page');
    equal(await page.getByLabel('Date the order must be completed by').inputValue(),
      ukDate(addMonths(order.date, level)), 'completion date pre-filled by the page');
  }
  // The design system draws its own box over the input: a person clicks the label.
  await page.getByText('The client has agreed to be referred', { exact: true }).click();
  assert(await page.getByLabel('The client has agreed to be referred').isChecked(), 'the agreement is ticked');
  return { fields: typed.length, chars: typed.reduce((n, [, v]) => n + v.length, 0) };
}

// What the same form takes a person, by the keystroke-level model (Card, Moran and Newell):
// per field typed, point (1.1 s), click (0.2 s) and think (1.35 s); 0.28 s a character
// (an average typist); then tick the agreement and press Send (point, click, think each).
function personSeconds({ fields, chars }) {
  return fields * (1.1 + 0.2 + 1.35) + chars * 0.28 + 2 * (1.1 + 0.2 + 1.35);
}

async function scenarioReferral(ctx) {
  const context = await newContext();
  const page = await newPage(context, 'case worker');
  await signIn(page, ctx.base, CASE_WORKER);

  // Details of the length a real referral has, so the estimate below is a fair one.
  const client = { first: 'Ada', last: 'Lovelace', email: 'ada.lovelace@example.org' };
  const order = { court: 'GLA-2026-0412', date: orderDate(), hours: 100 };

  const started = Date.now();
  const axeBefore = axeMs;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Make a referral' }).click();
  await expectHeading(page, 'Make a referral');
  await landed(page, 'the referral form');
  const current = page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
  equal(await current.count(), 1, 'navigation items marked as the current page');
  equal((await current.innerText()).trim(), 'Make a referral', 'the current navigation item');
  const effort = await fillReferral(page, client, order, { prefilledByScript: true });
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expectHeading(page, 'Referral sent');
  const elapsed = Date.now() - started - (axeMs - axeBefore);
  const person = personSeconds(effort);
  await landed(page, 'the referral confirmation');

  const panel = await page.locator('.ds_notification-panel').innerText();
  const m = REFERENCE.exec(panel);
  assert(m, `no referral reference (R- and two groups of four) on the confirmation: ${panel}`);
  const reference = m[0];
  assert(!/[01IOL]/.test(reference.slice(2)), `reference ${reference} has a look-alike character`);
  const sentHours = await page.locator('.ds_summary-list__item').filter({ hasText: 'Other activity hours' }).innerText();
  assert(/\b30\b/.test(sentHours), `the confirmation shows 30 other activity hours: ${sentHours}`);
  const sentDue = await page.locator('.ds_summary-list__item').filter({ hasText: 'To be completed by' }).innerText();
  assert(sentDue.includes(longDate(addMonths(order.date, 3))), `the confirmation shows the completion date: ${sentDue}`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My referrals' }).click();
  await expectHeading(page, 'My referrals');
  await landed(page, 'My referrals');
  const row = page.getByRole('row').filter({ hasText: reference });
  await row.waitFor();
  assert((await row.innerText()).includes(`${client.first} ${client.last}`), 'the referral row names the client');

  await row.getByRole('link', { name: `${client.first} ${client.last}` }).click();
  await expectHeading(page, `${client.first} ${client.last}`);
  await landed(page, 'the client page');
  const clientText = await page.locator('main').innerText();
  assert(clientText.includes(reference), 'the client page shows the referral reference');
  assert(clientText.includes(order.court), 'the client page shows the court order reference');
  state.clientUrl = page.url();
  state.client = client;
  state.reference = reference;
  allChecked();
  await context.close();
  assert(person < 60, `a person would need about ${person.toFixed(0)} s for this referral`);
  return `${reference}; form opened to confirmation in ${(elapsed / 1000).toFixed(1)} s automated ` +
    `(axe time excluded); a person typing the same ${effort.chars} characters into ${effort.fields} fields: ` +
    `about ${person.toFixed(0)} s (keystroke-level estimate)`;
}

async function scenarioValidation(ctx) {
  const context = await newContext();
  await signInQuietly(context, ctx.base, CASE_WORKER);
  const page = await newPage(context, 'case worker (validation)');
  await page.goto(`${ctx.base}/referrals/new`);
  await landed(page, 'the referral form');

  // Nothing typed at all.
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  equal(await page.title(), 'Error: Make a referral – Cairn', 'page title with errors');
  await landed(page, 'the referral form with errors');

  const summary = page.locator('.ds_error-summary');
  const expected = {
    first_name: "Enter the client's first name",
    last_name: "Enter the client's last name",
    date_of_birth: "Enter the client's date of birth",
    email: 'Enter an email address or a mobile number',
    order_reference: 'Enter the court order reference',
    order_date: 'Enter the date the order was imposed',
    unpaid_hours: 'Enter the unpaid work hours imposed',
    consent: 'Confirm that the client has agreed to be referred',
  };
  const n = await summary.getByRole('link').count();
  equal(n, Object.keys(expected).length, 'links in the error summary');
  for (const [id, message] of Object.entries(expected)) {
    const link = summary.getByRole('link', { name: message });
    equal(await link.getAttribute('href'), `#${id}`, `summary link for ${id}`);
    // The field's own error is shown with it and announced with it.
    const field = page.locator(`#${id}`);
    const described = (await field.getAttribute('aria-describedby')) || '';
    assert(described.split(' ').includes(`${id}-error`), `${id} is described by its error`);
    equal(await field.getAttribute('aria-invalid'), 'true', `${id} aria-invalid`);
    equal((await page.locator(`#${id}-error`).innerText()).replace(/^Error:\s*/, ''), message,
      `the error message by ${id}`);
  }
  // Each summary link moves focus to its field.
  for (const [id, message] of [['first_name', expected.first_name], ['unpaid_hours', expected.unpaid_hours],
    ['consent', expected.consent]]) {
    await summary.getByRole('link', { name: message }).click();
    await page.waitForFunction((want) => document.activeElement && document.activeElement.id === want, id,
      { timeout: 2000 }).catch(() => {});
    equal(await page.evaluate(() => document.activeElement && document.activeElement.id), id,
      `focus after following the summary link for ${id}`);
  }

  // Some typed, some wrong: what was typed is kept.
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper <script>alert(1)</script>');
  await page.getByLabel('Email address').fill('not-an-email');
  await page.getByLabel('Unpaid work hours imposed').fill('abc');
  await page.getByLabel('Access needs (optional)').fill('Uses a screen reader');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(page, 'the referral form with some errors');
  equal(await page.getByLabel('First name').inputValue(), 'Grace', 'first name kept');
  equal(await page.getByLabel('Last name').inputValue(), 'Hopper <script>alert(1)</script>', 'last name kept');
  equal(await page.getByLabel('Email address').inputValue(), 'not-an-email', 'email kept');
  equal(await page.getByLabel('Unpaid work hours imposed').inputValue(), 'abc', 'hours kept');
  equal(await page.getByLabel('Access needs (optional)').inputValue(), 'Uses a screen reader', 'access needs kept');
  const summaryText = await summary.innerText();
  assert(!summaryText.includes("Enter the client's first name"), 'no error for the first name once typed');
  assert(summaryText.includes('Enter an email address in the correct format'), 'email format error');
  assert(summaryText.includes('Unpaid work hours must be a whole number'), 'hours format error');
  allChecked();
  await context.close();
  return `${n} errors in the summary, links move focus, typed values kept`;
}

async function scenarioNoScript(ctx) {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await newPage(context, 'case worker without JavaScript', { noScript: true });
  await signIn(page, ctx.base, CASE_WORKER);
  await page.getByRole('link', { name: 'Make a referral' }).first().click();
  await expectHeading(page, 'Make a referral');
  await landed(page, 'the referral form without JavaScript');
  const client = { first: 'Alan', last: 'Turing', email: 'alan.turing@example.org' };
  const order = { court: 'GLA-2026-0413', date: orderDate(), hours: 150 };
  await fillReferral(page, client, order, { prefilledByScript: false });
  equal(await page.getByLabel('Other activity hours with this service').inputValue(), '', 'no script fills the hours');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expectHeading(page, 'Referral sent');
  await landed(page, 'the referral confirmation without JavaScript');
  const main = await page.locator('main').innerText();
  assert(REFERENCE.test(main), 'a referral reference on the confirmation');
  const hoursRow = page.locator('.ds_summary-list__item').filter({ hasText: 'Other activity hours' });
  assert((await hoursRow.innerText()).includes('45'), `default other activity hours of 45: ${await hoursRow.innerText()}`);
  const dateRow = page.locator('.ds_summary-list__item').filter({ hasText: 'To be completed by' });
  const due = longDate(addMonths(order.date, 6));
  assert((await dateRow.innerText()).includes(due), `default completion date ${due}: ${await dateRow.innerText()}`);
  allChecked();
  await context.close();
  return `defaults applied: 45 hours, completion ${due}`;
}

async function scenarioInvitation(ctx) {
  assert(state.client, 'needs the referral from scenario 1');
  const context = await newContext();
  const page = await newPage(context, 'administrator');
  await signIn(page, ctx.base, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
  await expectHeading(page, 'Outbox');
  await landed(page, 'the outbox');
  const confirmation = page.getByRole('row').filter({ hasText: `Referral ${state.reference} received` });
  await confirmation.waitFor();
  assert((await confirmation.innerText()).includes(CASE_WORKER), 'the confirmation goes to the case worker');
  const invitation = page.getByRole('row').filter({ hasText: state.client.email });
  await invitation.waitFor();
  await invitation.getByRole('link', { name: 'Your invitation to Cairn' }).click();
  await expectHeading(page, 'Your invitation to Cairn');
  await landed(page, 'the invitation message');
  const text = await page.locator('pre').innerText();
  assert(text.includes(`Hello ${state.client.first},`), 'the invitation greets the client');
  const m = /(https?:\/\/\S+\/invitations\/\S+)/.exec(text);
  assert(m, `an invitation link in the message: ${text}`);
  const link = m[1];
  assert(link.startsWith(`${ctx.base}/invitations/`), `the link points at this server: ${link}`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  await landed(page, 'the page after signing out');
  await context.close();

  const clientContext = await newContext();
  const cp = await newPage(clientContext, 'client');
  await cp.goto(link);
  await expectHeading(cp, 'Set up your account');
  await landed(cp, 'the invitation page');
  // A short password first: the error is shown, then put right.
  await cp.getByLabel('Choose a password').fill('short');
  await cp.getByLabel('Type the password again').fill('short');
  await cp.getByRole('button', { name: 'Set up my account' }).click();
  await cp.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(cp, 'the invitation page with an error');
  const password = `four words ${state.stamp} remembered`;
  await cp.getByLabel('Choose a password').fill(password);
  await cp.getByLabel('Type the password again').fill(password);
  await cp.getByRole('button', { name: 'Set up my account' }).click();
  await expectHeading(cp, 'Your account is set up');
  await landed(cp, 'the account-set-up page');
  await cp.getByRole('link', { name: 'Sign in' }).first().click();
  await expectHeading(cp, 'Sign in');
  await landed(cp, 'the sign-in page (client)');
  await cp.getByLabel('Email address').fill(state.client.email);
  await cp.getByLabel('Password', { exact: true }).fill(password);
  await cp.getByRole('button', { name: 'Sign in' }).click();
  await cp.getByRole('button', { name: 'Sign out' }).waitFor();
  await landed(cp, 'the client start page');
  const who = await cp.locator('header').first().innerText();
  assert(who.includes(state.client.first), `the header names the signed-in client: ${who}`);
  // The link works once.
  await cp.goto(link);
  await expectHeading(cp, 'This link has stopped working');
  await landed(cp, 'a used invitation link');
  allChecked();
  await clientContext.close();
  return 'outbox shows both messages; client set a password and signed in; link single-use';
}

async function noHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert(scroll <= 320, `${what} scrolls sideways at 320 px: scrollWidth ${scroll} (clientWidth ${client})`);
}

async function scenarioSmallScreen(ctx) {
  const context = await newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
  const page = await newPage(context, 'case worker on a small screen');
  await page.goto(`${ctx.base}/sign-in`);
  await landed(page, 'the sign-in page at 320 px');
  await noHorizontalScroll(page, 'the sign-in page');
  await page.getByLabel('Email address').fill(CASE_WORKER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await landed(page, 'the start page at 320 px');
  await noHorizontalScroll(page, 'the start page');
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert(await nav.getByRole('link', { name: 'Make a referral' }).isVisible(),
    'the main navigation is visible at 320 px');
  await nav.getByRole('link', { name: 'Make a referral' }).click();
  await expectHeading(page, 'Make a referral');
  await landed(page, 'the referral form at 320 px');
  await noHorizontalScroll(page, 'the referral form');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(page, 'the referral form with errors at 320 px');
  await noHorizontalScroll(page, 'the referral form with errors');
  await nav.getByRole('link', { name: 'My referrals' }).click();
  await expectHeading(page, 'My referrals');
  await landed(page, 'My referrals at 320 px');
  await noHorizontalScroll(page, 'My referrals');
  allChecked();
  await context.close();
  return 'sign-in, referral form (with errors) and My referrals fit 320 px';
}

async function scenarioOtherAuthority(ctx) {
  assert(state.clientUrl, 'needs the client page from scenario 1');
  const context = await newContext();
  await signInQuietly(context, ctx.base, FIFE_CASE_WORKER);
  const page = await newPage(context, 'Fife case worker');
  const res = await page.goto(state.clientUrl);
  equal(res.status(), 404, 'status of another authority\'s client page');
  await expectHeading(page, 'Page not found');
  await landed(page, 'Page not found');
  const main = await page.locator('main').innerText();
  assert(!main.includes(state.client.last), 'the 404 page does not name the client');
  const ref = await page.goto(`${ctx.base}/referrals/${state.reference}`);
  equal(ref.status(), 404, 'status of another authority\'s referral');
  await landed(page, 'Page not found (referral)');
  allChecked();
  await context.close();
  return `${new URL(state.clientUrl).pathname} and the referral are "Page not found" (404)`;
}

// The other roles' pages: each demo account's start page and every page in its
// navigation must pass axe and fit a 320 px screen too (the administrator's and case
// worker's are seen above).
const OTHER_ROLES = ['coordinator@demo.cairn.scot', 'facilitator@demo.cairn.scot', 'lead@demo.cairn.scot',
  'client@demo.cairn.scot'];

async function scenarioEveryRole(ctx) {
  const seen = [];
  for (const email of OTHER_ROLES) {
    // At 320 px: clients above all may have only a phone.
    const context = await newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    await signInQuietly(context, ctx.base, email);
    const page = await newPage(context, email);
    await page.goto(`${ctx.base}/`);
    await landed(page, `the start page of ${email}`);
    await noHorizontalScroll(page, `the start page of ${email}`);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const hrefs = [];
    for (let i = 0; i < await links.count(); i++) hrefs.push(await links.nth(i).getAttribute('href'));
    for (const href of hrefs) {
      if (href === '/') continue;
      const res = await page.goto(`${ctx.base}${href}`);
      equal(res.status(), 200, `${email} opening ${href} from the navigation`);
      await landed(page, `${href} for ${email}`);
      await noHorizontalScroll(page, `${href} for ${email}`);
    }
    seen.push(`${email.split('@')[0]}: ${['/'].concat(hrefs.filter((h) => h !== '/')).join(' ')}`);
    allChecked();
    await context.close();
  }
  return seen.join('; ');
}

// ---- the journey across roles (issue 4) -------------------------------------------------

const COORDINATOR = 'coordinator@demo.cairn.scot';
const FACILITATOR = 'facilitator@demo.cairn.scot';
const DEMO_CLIENT = 'client@demo.cairn.scot';

function addDays({ y, m, d }, days) {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

// "Tuesday 17 November 2026, 6:30pm" (how Cairn shows a time) as a number that sorts.
function londonTimeKey(text) {
  const m = /(\d{1,2}) ([A-Z][a-z]+) (\d{4}), (\d{1,2}):(\d{2})(am|pm)/.exec(text);
  assert(m, `a date and time in "${text}"`);
  const hour = (Number(m[4]) % 12) + (m[6] === 'pm' ? 12 : 0);
  return (((Number(m[3]) * 12 + MONTHS.indexOf(m[2])) * 31 + Number(m[1])) * 24 + hour) * 60 + Number(m[5]);
}

const mainNav = (page) => page.getByRole('navigation', { name: 'Main' });

async function follow(page, name) {
  await mainNav(page).getByRole('link', { name, exact: true }).click();
  await expectHeading(page, name);
  await landed(page, name);
}

// A context signed in as a demo account, on its start page (checked).
async function openAs(ctx, email, label) {
  const context = await newContext();
  await signInQuietly(context, ctx.base, email);
  const page = await newPage(context, label);
  await page.goto(`${ctx.base}/`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await landed(page, `the start page of ${label}`);
  return page;
}

// The value beside a key in a summary list, as a person reads it.
async function summaryValue(page, key) {
  const row = page.locator('.ds_summary-list__item').filter({
    has: page.locator('.ds_summary-list__key').getByText(key, { exact: true }),
  });
  return (await row.locator('.ds_summary-list__value').innerText()).trim();
}

// Opens the outbox (from the navigation) and returns the row of the message with this
// subject to this recipient.
async function outboxRow(page, recipient, subject) {
  await follow(page, 'Outbox');
  const row = page.getByRole('row').filter({ hasText: recipient })
    .filter({ has: page.getByRole('link', { name: subject, exact: true }) });
  equal(await row.count(), 1, `outbox rows to ${recipient} about "${subject}"`);
  return row;
}

async function openMessage(page, recipient, subject) {
  const row = await outboxRow(page, recipient, subject);
  await row.getByRole('link', { name: subject, exact: true }).click();
  await expectHeading(page, subject);
  await landed(page, `the message "${subject}"`);
  equal(await summaryValue(page, 'To'), recipient, `the recipient of "${subject}"`);
}

async function scenarioJourney(ctx) {
  const today = londonToday();
  const client = { first: 'Morag', last: 'Stewart', email: `morag.${state.stamp}@example.org`,
    mobile: '07700 900456', access: 'Dyslexic: prefers a phone call to a letter' };
  const name = `${client.first} ${client.last}`;
  const order = { court: 'GLA-2026-0777', date: orderDate(), hours: 100 };
  const finishBy = longDate(addMonths(order.date, 3));

  // Case worker: the referral, with a mobile number and access needs for the welcome call.
  const cw = await openAs(ctx, CASE_WORKER, 'case worker');
  await follow(cw, 'Make a referral');
  await fillReferral(cw, client, order, { prefilledByScript: true });
  await cw.getByLabel('Mobile phone number').fill(client.mobile);
  await cw.getByLabel('Access needs (optional)').fill(client.access);
  await cw.getByRole('button', { name: 'Send referral' }).click();
  await expectHeading(cw, 'Referral sent');
  await landed(cw, 'the referral confirmation');
  const reference = REFERENCE.exec(await cw.locator('.ds_notification-panel').innerText());
  assert(reference, 'a referral reference on the confirmation');

  // Administrator: the invitation in the outbox, and its link.
  const admin = await openAs(ctx, ADMIN, 'administrator');
  await openMessage(admin, client.email, 'Your invitation to Cairn');
  const link = /(https?:\/\/\S+\/invitations\/\S+)/.exec(await admin.locator('pre').first().innerText());
  assert(link, 'an invitation link in the message');

  // The client follows it and chooses a password.
  const clientContext = await newContext();
  const cp = await newPage(clientContext, 'new client');
  await cp.goto(link[1]);
  await expectHeading(cp, 'Set up your account');
  await landed(cp, 'the invitation page');
  const password = `granite path ${state.stamp} heather`;
  await cp.getByLabel('Choose a password').fill(password);
  await cp.getByLabel('Type the password again').fill(password);
  await cp.getByRole('button', { name: 'Set up my account' }).click();
  await expectHeading(cp, 'Your account is set up');
  await landed(cp, 'the account-set-up page');

  // Coordinator: the welcome call, oldest referral first, with phone and access needs.
  const co = await openAs(ctx, COORDINATOR, 'coordinator');
  await follow(co, 'Welcome calls');
  const tasks = co.getByRole('main').getByRole('listitem');
  const texts = await tasks.allInnerTexts();
  const mine = texts.findIndex((t) => t.startsWith(name));
  assert(mine >= 0, `${name} among the welcome calls: ${texts.join(' | ')}`);
  const keys = texts.map((t) => londonTimeKey(t));
  for (let i = 1; i < keys.length; i++)
    assert(keys[i - 1] <= keys[i], `welcome calls oldest first: ${texts[i - 1]} | ${texts[i]}`);
  assert(mine === texts.length - 1, `the newest referral, ${name}, is listed last`);
  const mobile = client.mobile; // stored as digits, shown as 07700 900456
  assert(texts[mine].includes(`Mobile ${mobile}`), `the task shows the mobile: ${texts[mine]}`);
  assert(texts[mine].includes(`Access needs: ${client.access}`), `the task shows access needs: ${texts[mine]}`);
  await co.getByRole('link', { name, exact: true }).click();
  await expectHeading(co, name);
  await landed(co, 'the welcome call');
  equal(await summaryValue(co, 'Mobile'), mobile, 'the mobile on the welcome call');
  equal(await summaryValue(co, 'Access needs'), client.access, 'access needs on the welcome call');
  await co.getByText('Spoke to the client: welcome call done', { exact: true }).click();
  await co.getByLabel('Notes (optional)').fill('Explained how to book; evenings suit best.');
  await co.getByRole('button', { name: 'Record the call' }).click();
  await expectHeading(co, 'Welcome calls');
  await landed(co, 'Welcome calls after the call');
  equal(await co.getByRole('link', { name, exact: true }).count(), 0, 'the recorded call leaves the list');

  // Case worker: the referral is welcomed.
  await follow(cw, 'My referrals');
  const row = cw.getByRole('row').filter({ hasText: reference[0] });
  const status = (await row.getByRole('cell').last().innerText()).trim();
  equal(status.toLowerCase(), 'welcomed', `the status of ${reference[0]} in My referrals`);

  // The client signs in and sees their hours.
  await cp.getByRole('link', { name: 'Sign in' }).first().click();
  await expectHeading(cp, 'Sign in');
  await landed(cp, 'the sign-in page (new client)');
  await cp.getByLabel('Email address').fill(client.email);
  await cp.getByLabel('Password', { exact: true }).fill(password);
  await cp.getByRole('button', { name: 'Sign in' }).click();
  await expectHeading(cp, `Hello ${client.first}`);
  await landed(cp, 'the client\'s hours');
  equal(await summaryValue(cp, 'Hours done'), '0 hours', 'hours done at first');
  equal(await summaryValue(cp, 'Hours left to do'), '30 hours', 'hours left at first');
  equal(await summaryValue(cp, 'Finish by'), finishBy, 'the finish-by date');

  // Book a session: evenings and weekends, on Thursdays.
  await cp.getByRole('main').getByRole('link', { name: 'Book a session' }).click();
  await expectHeading(cp, 'Book a session');
  await landed(cp, 'Book a session');
  const everything = await cp.getByRole('main').getByRole('listitem').count();
  await cp.getByText('Only evenings and weekends', { exact: true }).click();
  assert(await cp.getByLabel('Only evenings and weekends').isChecked(), 'evenings and weekends ticked');
  await cp.getByLabel('Day').selectOption('Thursday');
  await cp.getByRole('button', { name: 'Show sessions' }).click();
  await cp.getByRole('heading', { level: 2, name: /sessions? that match$/ }).waitFor();
  await landed(cp, 'Book a session, filtered');
  const found = cp.getByRole('main').getByRole('listitem');
  const sessions = await found.allInnerTexts();
  assert(sessions.length >= 2 && sessions.length < everything,
    `some Thursday evening sessions, fewer than all ${everything}: ${sessions.length}`);
  // Each: the topic, "Thursday 3 December 2026, 6:30pm to 8:30pm", the tags and places.
  const whens = sessions.map((t) => t.split('\n').filter((l) => l.trim())[1] || '');
  for (const [i, t] of sessions.entries())
    assert(whens[i].startsWith('Thursday ') && t.includes('Evening'), `a Thursday evening: ${t}`);
  equal(await cp.getByLabel('Day').inputValue(), 'Thursday', 'the day filter kept');
  const [first, second] = whens.map((w) => w.replace(/ to .*/, ''));

  await found.nth(0).getByRole('link').click();
  await cp.getByRole('button', { name: 'Book this session' }).waitFor();
  await landed(cp, 'a session');
  await cp.getByRole('button', { name: 'Book this session' }).click();
  await expectHeading(cp, 'Session booked');
  await landed(cp, 'the booking, just made');
  equal(await summaryValue(cp, 'When'), first, 'the booked session');
  const topic = await summaryValue(cp, 'Session');
  const ics = cp.getByRole('link', { name: 'Add to your calendar (.ics file)' });
  const res = await cp.request.get(new URL(await ics.getAttribute('href'), cp.url()).href);
  equal(res.status(), 200, 'status of the calendar file');
  const calendar = await res.text();
  assert(calendar.startsWith('BEGIN:VCALENDAR'), `the calendar file starts BEGIN:VCALENDAR: ${calendar.slice(0, 40)}`);
  assert(calendar.includes('DTSTART;TZID=Europe/London:'), 'the calendar file has DTSTART;TZID=Europe/London');
  assert(/^Content-Type: text\/calendar/i.test(`Content-Type: ${res.headers()['content-type']}`),
    `the calendar file's type: ${res.headers()['content-type']}`);

  // A second booking, then cancelled.
  await cp.getByRole('link', { name: 'Back to your hours and sessions' }).click();
  await expectHeading(cp, `Hello ${client.first}`);
  await landed(cp, 'the client\'s hours with a booking');
  const booked = await cp.getByRole('main').getByRole('listitem').allInnerTexts();
  assert(booked.some((t) => t.includes(first)), `the booking listed on the client's page: ${booked.join(' | ')}`);
  await cp.getByRole('main').getByRole('link', { name: 'Book a session' }).click();
  await expectHeading(cp, 'Book a session');
  await landed(cp, 'Book a session, again');
  const bookedItem = cp.getByRole('main').getByRole('listitem').filter({ hasText: first });
  assert((await bookedItem.innerText()).includes('Booked'), 'the booked session is marked Booked');
  await cp.getByRole('main').getByRole('listitem').filter({ hasText: second }).getByRole('link').click();
  await cp.getByRole('button', { name: 'Book this session' }).waitFor();
  await landed(cp, 'another session');
  await cp.getByRole('button', { name: 'Book this session' }).click();
  await expectHeading(cp, 'Session booked');
  await landed(cp, 'the second booking');
  const topic2 = await summaryValue(cp, 'Session');
  await cp.getByRole('button', { name: 'Cancel this booking' }).click();
  await cp.getByText('You cancelled this booking.').waitFor();
  await landed(cp, 'the cancelled booking');
  equal(await cp.getByRole('button', { name: 'Cancel this booking' }).count(), 0, 'no cancel button once cancelled');

  // Administrator: both messages, each with its calendar file.
  const sent = [['Booked', topic, first, 'METHOD:REQUEST'], ['Cancelled', topic2, second, 'METHOD:CANCEL']];
  for (const [what, t, when, method] of sent) {
    const subject = `${what}: ${t}, ${when}`;
    await openMessage(admin, client.email, subject);
    const attachment = await summaryValue(admin, 'Attachment');
    assert(attachment.startsWith('session.ics (text/calendar'), `the attachment of "${subject}": ${attachment}`);
    await admin.getByRole('heading', { level: 2, name: 'Attachment: session.ics' }).waitFor();
    const file = await admin.locator('pre').nth(1).innerText();
    assert(file.startsWith('BEGIN:VCALENDAR') && file.includes(method), `the attached calendar has ${method}`);
  }

  allChecked();
  for (const page of [cw, admin, cp, co]) await page.context().close();
  return `${reference[0]} (${name}): invited, password set, welcome call recorded (oldest first), ` +
    `welcomed; ${sessions.length} Thursday evening sessions; booked ${first}, booked and cancelled ${second}; ` +
    'outbox has both with session.ics';
}

async function scenarioRegister(ctx) {
  const yesterday = longDate(addDays(demoDay, -1));
  const reason = 'Jamie joined by phone; the camera was off, so I missed him at first.';

  // Facilitator: yesterday's register, Jamie D. did not attend.
  const fac = await openAs(ctx, FACILITATOR, 'facilitator');
  await follow(fac, 'My sessions');
  const recent = fac.getByRole('main').getByRole('listitem').filter({ hasText: yesterday });
  equal(await recent.count(), 1, `sessions on ${yesterday} in My sessions`);
  await recent.getByRole('link', { name: /^Register: / }).click();
  await fac.getByRole('button', { name: 'Save the register' }).waitFor();
  await landed(fac, 'the register');
  // "Wednesday 25 November 2026, 2:00pm, 2 hours"
  const meta = await fac.locator('.ds_page-header__metadata').innerText();
  const when = (/^.*?\d(?:am|pm)/.exec(meta) || [''])[0];
  assert(when.includes(yesterday), `the register is for yesterday's session: ${meta}`);
  const topic = (await fac.getByRole('heading', { level: 1 }).innerText()).trim();
  const jamie = fac.getByRole('group', { name: /^Jamie D\./ });
  await jamie.getByText('Did not attend', { exact: true }).click();
  await fac.getByRole('button', { name: 'Save the register' }).click();
  await fac.getByRole('status').filter({ hasText: 'Register saved' }).waitFor();
  await landed(fac, 'the register, saved');
  assert((await jamie.locator('legend').innerText()).includes('Did not attend'), 'Jamie D. recorded as did not attend');

  // Administrator: the alert to the case worker is in the outbox at once.
  const admin = await openAs(ctx, ADMIN, 'administrator');
  await outboxRow(admin, CASE_WORKER, `Did not attend: Jamie Demo, ${when}`);

  // Facilitator: Attended after all. Without a reason first: refused, with the reason shown.
  await jamie.getByText('Attended', { exact: true }).click();
  await fac.getByRole('button', { name: 'Save the register' }).click();
  await fac.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(fac, 'the register with an error');
  const summary = await fac.locator('.ds_error-summary').innerText();
  assert(summary.includes('Jamie D.') && summary.includes('give the reason for the correction'),
    `the error summary asks for a reason: ${summary}`);
  assert(await jamie.getByLabel('Attended', { exact: true }).isChecked(), 'the chosen outcome is kept');
  // The summary's link takes the facilitator to the field to put right.
  await fac.locator('.ds_error-summary').getByRole('link').click();
  const correction = jamie.getByLabel('Reason for changing the recorded outcome', { exact: false });
  const focusId = await correction.getAttribute('id');
  await fac.waitForFunction((id) => document.activeElement && document.activeElement.id === id, focusId,
    { timeout: 2000 }).catch(() => {});
  equal(await fac.evaluate(() => document.activeElement && document.activeElement.id), focusId,
    'focus after following the summary link');
  await correction.fill(reason);
  await fac.getByRole('button', { name: 'Save the register' }).click();
  await fac.getByRole('status').filter({ hasText: 'Register saved' }).waitFor();
  await landed(fac, 'the register, corrected');
  assert((await jamie.locator('legend').innerText()).includes('Attended'), 'Jamie D. recorded as attended');

  // Jamie sees the hours.
  const jp = await openAs(ctx, DEMO_CLIENT, 'Jamie');
  await expectHeading(jp, 'Hello Jamie');
  // 2 hours from the demo's session three days ago (attended), 2 from yesterday's.
  equal(await summaryValue(jp, 'Hours done'), '4 hours', 'Jamie\'s hours done');
  equal(await summaryValue(jp, 'Hours left to do'), '20 hours', 'Jamie\'s hours left');

  // The case worker: Jamie's timeline and hours.
  const cw = await openAs(ctx, CASE_WORKER, 'case worker');
  await follow(cw, 'My referrals');
  await cw.getByRole('row').filter({ hasText: 'Jamie Demo' }).getByRole('link', { name: 'Jamie Demo' }).click();
  await expectHeading(cw, 'Jamie Demo');
  await landed(cw, 'Jamie\'s page');
  equal(await summaryValue(cw, 'Hours done'), '4 hours', 'hours done on Jamie\'s page');
  equal(await summaryValue(cw, 'Hours left'), '20 hours', 'hours left on Jamie\'s page');
  const timeline = (await cw.locator('.cairn-timeline li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  const at = (re) => timeline.findIndex((t) => re.test(t));
  const dna = at(new RegExp(`Did not attend: session on \\w+ ${yesterday}`));
  const corrected = at(new RegExp(`Corrected to Attended: session on \\w+ ${yesterday}.*: ${reason.slice(0, 20)}`));
  // The credit after the did not attend (the demo's session three days ago credited too).
  const credit = timeline.findIndex((t, i) => i > dna && /Hours credited: 2 hours/.test(t));
  assert(dna >= 0 && corrected > dna && credit > dna,
    `the timeline has the did not attend, then the correction and the credit: ${timeline.join(' | ')}`);

  // Coordinator: a weekly series of three evening sessions.
  const co = await openAs(ctx, COORDINATOR, 'coordinator');
  await follow(co, 'Sessions and topics');
  await co.getByRole('main').getByRole('link', { name: 'Schedule sessions' }).click();
  await expectHeading(co, 'Schedule sessions');
  await landed(co, 'Schedule sessions');
  const start = addDays(londonToday(), 30);
  await co.getByLabel('Topic').selectOption({ label: 'Digital skills' });
  await co.getByLabel('Date of the first session').fill(ukDate(start));
  await co.getByLabel('Start time (UK time)').fill('18:00');
  await co.getByLabel('Joining link').fill('https://meet.example.org/x');
  await co.getByLabel('Repeat every week for how many weeks?').fill('3');
  // No facilitator yet: the error, with everything typed kept.
  await co.getByRole('button', { name: 'Schedule' }).click();
  await co.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(co, 'Schedule sessions with an error');
  const problem = await co.locator('.ds_error-summary').innerText();
  assert(problem.includes('Choose a facilitator'), `the summary asks for a facilitator: ${problem}`);
  equal(await co.getByLabel('Date of the first session').inputValue(), ukDate(start), 'the date kept');
  await co.getByLabel('Facilitator').selectOption({ label: 'Farah Facilitator' });
  await co.getByRole('button', { name: 'Schedule' }).click();
  await co.getByRole('status').filter({ hasText: '3 sessions scheduled' }).waitFor();
  await landed(co, 'Sessions and topics, after scheduling');
  const listed = [];
  for (const week of [0, 7, 14]) {
    const day = longDate(addDays(start, week));
    const r = co.getByRole('row').filter({ hasText: `${day}, 6:00pm` }).filter({ hasText: 'Digital skills' });
    equal(await r.count(), 1, `the session on ${day} at 6:00pm listed`);
    const cells = await r.getByRole('cell').allInnerTexts();
    assert(cells[0].includes('Evening') && cells[2] === 'Farah Facilitator' && cells[3] === '0 of 12',
      `the session on ${day}: ${cells.join(' | ')}`);
    listed.push(day);
  }

  allChecked();
  for (const page of [fac, admin, jp, cw, co]) await page.context().close();
  return `register of ${topic} (${yesterday}): did not attend, alert to the case worker, corrected to ` +
    `attended with a reason; Jamie 4 hours done; timeline right; weekly series on ${listed.join(', ')}`;
}

// ---- feedback and the impact dashboard (issue 5) --------------------------------------

// The demo client attended a session three days ago: their home page asks how it was, and
// the emailed request is in the outbox.
async function scenarioFeedback(ctx) {
  const jp = await openAs(ctx, DEMO_CLIENT, 'Jamie');
  const ask = jp.locator('.cairn-feedback-due');
  await ask.getByRole('heading', { name: 'How was your session?' }).waitFor();
  // The demo's session three days ago; after scenario 9, yesterday's too (the newest first).
  const links = ask.getByRole('link', { name: /^Give feedback on / });
  const waiting = await links.count();
  assert(waiting >= 1, 'a session awaiting feedback on Jamie\'s home page');
  const link = links.first();
  const href = await link.getAttribute('href');
  const topic = (await link.innerText()).replace(/^Give feedback on /, '').split(',')[0].trim();
  await link.click();
  await expectHeading(jp, 'How was your session?');
  await landed(jp, 'the feedback form');
  // Sent with nothing chosen: the error summary names each question.
  await jp.getByRole('button', { name: 'Send my answers' }).click();
  await jp.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(jp, 'the feedback form with errors');
  equal(await jp.locator('.ds_error-summary li').count(), 3, 'errors in the summary');
  const knowledge = jp.getByRole('group', { name: 'Did the session improve your knowledge?' });
  const apply = jp.getByRole('group', { name: 'Do you intend to use what you learned?' });
  const rating = jp.getByRole('group', { name: 'How would you rate the session?' });
  await knowledge.getByText('Yes', { exact: true }).click();
  await apply.getByText('Yes', { exact: true }).click();
  await rating.getByText('5 - Very good', { exact: true }).click();
  assert(await knowledge.getByLabel('Yes', { exact: true }).isChecked(), 'yes chosen');
  await jp.getByLabel('Anything else you want to tell us? (optional)').fill('The examples helped.');
  await jp.getByRole('button', { name: 'Send my answers' }).click();
  await expectHeading(jp, 'Thank you for your feedback');
  await landed(jp, 'the feedback thanks');
  equal(await summaryValue(jp, 'How would you rate the session?'), '5 - Very good', 'the rating shown');
  // Back home: nothing left to answer. The same address again: already answered.
  await jp.getByRole('link', { name: 'Back to your hours' }).click();
  await expectHeading(jp, 'Hello Jamie');
  await landed(jp, 'Jamie\'s home page after feedback');
  equal(await jp.locator(`.cairn-feedback-due a[href="${href}"]`).count(), 0, 'the answered session left the home page');
  equal(await jp.getByRole('link', { name: /^Give feedback on / }).count(), waiting - 1, 'the others are still asked about');
  await jp.goto(`${ctx.base}${href}`);
  await expectHeading(jp, 'You have already answered');
  await landed(jp, 'the feedback page, answered');

  // The request by email, with its link.
  const admin = await openAs(ctx, ADMIN, 'administrator');
  // One "How was your session?" per attended session: the one for this session links here.
  await follow(admin, 'Outbox');
  const subject = 'How was your session?';
  const rows = admin.getByRole('row').filter({ hasText: DEMO_CLIENT })
    .filter({ has: admin.getByRole('link', { name: subject, exact: true }) });
  const sent = await rows.count();
  equal(sent, waiting, 'feedback requests to Jamie in the outbox');
  let linking = 0;
  for (let i = 0; i < sent; i++) {
    await rows.nth(i).getByRole('link', { name: subject, exact: true }).click();
    await expectHeading(admin, subject);
    await landed(admin, `the message "${subject}"`);
    if ((await admin.locator('.cairn-message').first().innerText()).includes(`${ctx.base}${href}`)) linking++;
    await follow(admin, 'Outbox');
  }
  equal(linking, 1, `requests linking to ${href}`);
  allChecked();
  for (const page of [jp, admin]) await page.context().close();
  return `Jamie answered about ${topic} (${href}); the emailed request links there`;
}

async function scenarioDashboard(ctx) {
  const admin = await openAs(ctx, ADMIN, 'administrator');
  await follow(admin, 'Impact dashboard');
  const charts = admin.locator('svg[role="img"]');
  equal(await charts.count(), 9, 'charts on the dashboard');
  for (let i = 0; i < 9; i++) {
    const title = await charts.nth(i).getAttribute('aria-labelledby');
    const desc = await charts.nth(i).getAttribute('aria-describedby');
    assert(title && desc && await admin.locator(`[id="${title}"]`).count() === 1 &&
      await admin.locator(`[id="${desc}"]`).count() === 1, `chart ${i} has a title and a description`);
  }
  // A table for each chart, opened the way a person would.
  await admin.getByText('Attendance rate: the figures as a table').click();
  await admin.getByRole('region', { name: 'Attendance rate by month, as a table' }).waitFor();
  await landed(admin, 'the dashboard with a table open');
  // All of Scotland, then one authority.
  await admin.getByRole('combobox', { name: 'Area' }).selectOption({ label: 'Glasgow City' });
  await admin.getByRole('button', { name: 'Show the figures' }).click();
  await admin.locator('.ds_page-header__metadata').filter({ hasText: 'Glasgow City' }).waitFor();
  await landed(admin, 'the dashboard for Glasgow City');
  // The CSV download.
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('link', { name: 'Download these figures as a spreadsheet (CSV)' }).click(),
  ]);
  assert(/^cairn-impact-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/.test(download.suggestedFilename()),
    `the CSV's name: ${download.suggestedFilename()}`);
  // A date that does not exist.
  await admin.getByRole('textbox', { name: 'From' }).fill('31/02/2026');
  await admin.getByRole('button', { name: 'Show the figures' }).click();
  await admin.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(admin, 'the dashboard with an error');
  assert((await admin.locator('.ds_error-summary').innerText()).includes('Enter a real date'),
    'the error summary asks for a real date');

  // The Glasgow lead: their own authority, whatever the address asks for.
  const lead = await openAs(ctx, 'lead@demo.cairn.scot', 'lead');
  await follow(lead, 'Impact dashboard');
  equal(await lead.getByRole('combobox', { name: 'Area' }).count(), 0, 'no choice of area for a lead');
  await lead.goto(`${ctx.base}/dashboard?area=all`);
  await landed(lead, 'the lead\'s dashboard asked for all of Scotland');
  assert((await lead.locator('.ds_page-header__metadata').innerText()).startsWith('Glasgow City'),
    'the lead still sees Glasgow City');
  equal(await lead.locator('svg[role="img"]').count(), 9, 'charts for the lead');
  allChecked();
  for (const page of [admin, lead]) await page.context().close();
  return `admin: 9 charts, a table, Glasgow City, the CSV (${download.suggestedFilename()}), ` +
    'an invalid date; lead: Glasgow City only';
}

// ---- scenario 10: the weekly report ----------------------------------------------------

// The ISO week ("2026-W47") of a civil date, and that week's Monday and Sunday.
function isoWeek({ y, m, d }) {
  const t = new Date(Date.UTC(y, m - 1, d));
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(t.getTime() + (3 - weekday) * 86400000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86400000));
  const monday = addDays({ y, m, d }, -weekday);
  return { text: `${year}-W${pad(week)}`, monday, sunday: addDays(monday, 6) };
}

const WEEKLY_HEADINGS = 'Last name,First name,Date of birth,Case reference,Court order reference,' +
  'Cairn order reference,Sessions booked this week,Sessions attended this week,' +
  'Sessions missed this week,Absences accepted this week,Hours credited this week,Hours done,' +
  'Hours left,Complete by,Next booking,Flags,Case worker,Local authority';

async function downloadOf(page, linkName) {
  const { readFileSync } = await import('node:fs');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: linkName, exact: true }).click(),
  ]);
  const file = await download.path();
  assert(file, `the ${linkName} download was saved`);
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

async function scenarioWeeklyReport(ctx) {
  // The demo client, Jamie Demo, was referred by the demo case worker with an order imposed
  // a week ago: in last week's report, which the page shows first.
  const last = isoWeek(addDays(londonToday(), -7));
  const cw = await openAs(ctx, CASE_WORKER, 'case worker');
  await follow(cw, 'Weekly report');
  await cw.getByRole('heading', {
    level: 2,
    name: `Week ${last.text}: Monday ${longDate(last.monday)} to Sunday ${longDate(last.sunday)}`,
  }).waitFor();
  equal(await cw.getByLabel('Week', { exact: true }).inputValue(), last.text, 'the week chosen');
  const table = cw.getByRole('table');
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((t) => t.trim());
  assert(headers[0] === 'Client' && headers.includes('Hours left') && headers.includes('Flags') &&
    !headers.includes('Case worker'), `the table's columns: ${headers.join(' | ')}`);
  const row = table.getByRole('row').filter({ has: cw.getByRole('link', { name: 'Jamie Demo', exact: true }) });
  equal(await row.count(), 1, 'rows for Jamie Demo');
  const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
  equal(cells[1], '15 June 1994', "Jamie's date of birth");
  equal(cells[3], 'GLA-DEMO-1', "Jamie's court order reference");
  assert(/^\d+\.\d\d$/.test(cells[10]), `hours left as decimal hours: ${cells[10]}`);

  // The CSV, as the browser downloads it.
  const csv = await downloadOf(cw, 'CSV file');
  equal(csv.name, `cairn-weekly-${last.text}.csv`, 'the CSV file name');
  equal(csv.bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'the CSV byte-order mark');
  const text = csv.bytes.subarray(3).toString('utf8');
  assert(text.endsWith('\r\n'), 'the CSV ends with CRLF');
  const lines = text.split('\r\n');
  equal(lines[0], WEEKLY_HEADINGS, 'the CSV header row');
  const jamie = lines.filter((l) => l.startsWith('Demo,Jamie,1994-06-15,'));
  equal(jamie.length, 1, "Jamie's rows in the CSV");
  const fields = jamie[0].split(',');
  equal(fields[4], 'GLA-DEMO-1', "Jamie's court order reference in the CSV");
  equal(fields[12], cells[10], 'hours left in the CSV and on the page');
  equal(fields[16], 'Kirsty Caseworker', 'the case worker in the CSV');
  equal(fields[17], 'Glasgow City', 'the authority in the CSV');
  equal(lines.length - 2, Number((await table.locator('tbody tr').count())), 'CSV rows and table rows');

  // The XLSX: a ZIP file (an Office Open XML workbook).
  const xlsx = await downloadOf(cw, 'Excel file (XLSX)');
  equal(xlsx.name, `cairn-weekly-${last.text}.xlsx`, 'the XLSX file name');
  equal(xlsx.bytes.subarray(0, 4).toString('hex'), '504b0304', 'the XLSX ZIP signature');
  assert(xlsx.bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'a worksheet in the XLSX');

  // Another week through the form, and a week that does not exist.
  const previous = isoWeek(addDays(last.monday, -7));
  await cw.getByRole('link', { name: 'Previous week', exact: true }).click();
  await cw.getByRole('heading', { level: 2, name: new RegExp(`^Week ${previous.text}:`) }).waitFor();
  await landed(cw, 'the weekly report of the week before');
  await cw.getByLabel('Week', { exact: true }).fill('2026-W54');
  await cw.getByRole('button', { name: 'Show report' }).click();
  await cw.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await landed(cw, 'the weekly report with a week that does not exist');
  const problem = await cw.locator('.ds_error-summary').innerText();
  assert(problem.includes('Enter a week that exists, like 2026-W48'), `the error summary: ${problem}`);
  equal(await cw.getByRole('table').count(), 0, 'tables shown for a week that does not exist');

  allChecked();
  await cw.context().close();
  return `${last.text}: Jamie Demo on the page, in the CSV (${csv.bytes.length} bytes, ` +
    `${lines.length - 2} rows) and the XLSX (${xlsx.bytes.length} bytes)`;
}

async function screenshots(ctx) {
  const shots = [];
  for (const width of [1280, 320]) {
    const context = await newContext({ viewport: { width, height: width > 320 ? 800 : 640 } });
    await signInQuietly(context, ctx.base, CASE_WORKER);
    const page = await newPage(context, `screenshot ${width}`);
    await page.goto(`${ctx.base}/referrals/new`);
    await landed(page, `the referral form at ${width} px`);
    const file = path.join(process.env.CAIRN_SCREENSHOTS, `cairn-referral-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await page.screenshot({ path: file.replace('.png', '-top.png') });
    shots.push(file);
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await landed(page, `the referral form with errors at ${width} px`);
    await page.screenshot({ path: file.replace('.png', '-errors.png'), fullPage: true });
    await context.close();
  }
  return shots.join(', ');
}

// 13: the directory. A case worker finds a placement near a client by the client's
// postcode and refers them in one click; the organisation accepts and confirms the hours,
// which reach the client's order. Every page is checked with axe.
const ORGANISATION = 'organisation@demo.cairn.scot';
const DIRECTORY_REFERENCE = /\bD-[0-9A-Z]{4}-[0-9A-Z]{4}\b/;

async function scenarioDirectory(ctx) {
  const client = { first: 'Ailsa', last: 'Directory', email: `ailsa.${state.stamp}@example.org` };
  const name = `${client.first} ${client.last}`;
  const order = { court: 'GLA-2026-1313', date: orderDate(), hours: 100 };

  // Case worker: a new client, then their postcode on their page.
  const cw = await openAs(ctx, CASE_WORKER, 'case worker (directory)');
  await follow(cw, 'Make a referral');
  await fillReferral(cw, client, order, { prefilledByScript: true });
  await cw.getByRole('button', { name: 'Send referral' }).click();
  await expectHeading(cw, 'Referral sent');
  await landed(cw, 'the referral confirmation (directory)');
  await cw.getByRole('link', { name, exact: true }).click();
  await expectHeading(cw, name);
  await landed(cw, 'the client page without a postcode');
  await cw.getByLabel('Add a postcode').fill('g31 2xt');
  await cw.getByRole('button', { name: 'Save the postcode' }).click();
  await expectHeading(cw, name);
  await landed(cw, 'the client page with a postcode');
  equal(await summaryValue(cw, 'Postcode'), 'G31 2XT', 'the postcode, normalised');

  // Find a placement near them: the search opens on their postcode.
  await cw.getByRole('link', { name: `Find a service near ${name}` }).click();
  await expectHeading(cw, 'Find a service');
  await landed(cw, 'the directory search near the client');
  equal(await cw.getByLabel('Near postcode').inputValue(), 'G31 2XT', 'the search is centred on the client');
  await cw.getByText('Hosts individual placements', { exact: true }).click();
  await cw.getByRole('button', { name: 'Search', exact: true }).click();
  await cw.locator('#results').waitFor();
  await landed(cw, 'placements near the client');
  assert(/near G31 2XT/.test(await cw.locator('#results').innerText()), 'results near the postcode');
  const first = cw.locator('.ds_search-result').first();
  equal((await first.locator('h3').innerText()).trim(), 'Bike repair workshop', 'the nearest placement');
  assert(/\d(\.\d)? miles? away/.test(await first.innerText()), 'the distance is shown');
  // One click.
  await first.getByRole('button', { name: `Refer ${name} to Bike repair workshop` }).click();
  await cw.getByRole('heading', { level: 1, name: DIRECTORY_REFERENCE }).waitFor();
  await landed(cw, 'the directory referral (sent)');
  const reference = DIRECTORY_REFERENCE.exec(await cw.locator('h1').innerText())[0];
  equal(await summaryValue(cw, 'Status'), 'Sent', 'a new directory referral');

  // The organisation: accepts, then confirms the hours done.
  const org = await openAs(ctx, ORGANISATION, 'organisation');
  await expectHeading(org, 'Glasgow Community Bike Hub');
  await org.getByRole('link', { name: reference, exact: true }).click();
  await expectHeading(org, `Referral ${reference}`);
  await landed(org, 'the referral, for the organisation');
  equal(await summaryValue(org, 'Person referred'), name, 'the person, by name');
  await org.getByRole('button', { name: 'Accept the referral' }).click();
  await org.getByLabel('Hours done').waitFor();
  await landed(org, 'the accepted referral');
  equal(await summaryValue(org, 'Status'), 'Accepted', 'accepted');
  await org.getByLabel('Hours done').fill('6');
  await org.getByRole('button', { name: 'Confirm the hours' }).click();
  await org.getByText('Credited to the order').waitFor();
  await landed(org, 'the completed referral');
  equal(await summaryValue(org, 'Status'), 'Completed', 'completed');
  equal(await summaryValue(org, 'Credited to the order'), '6 hours', 'the hours credited');

  // The case worker sees the hours on the client's record.
  await cw.getByRole('link', { name: 'Back to the client' }).click();
  await expectHeading(cw, name);
  await landed(cw, 'the client page after the hours');
  equal(await summaryValue(cw, 'Hours done'), '6 hours', 'the hours on the order');
  const row = cw.getByRole('row').filter({ hasText: reference });
  equal((await row.getByRole('cell').last().innerText()).trim(), 'Completed', 'the referral on the client page');
  return `${reference}: found by postcode, referred in one click, accepted, 6 hours credited`;
}

const scenarios = [
  ['1 case worker makes a referral', scenarioReferral],
  ['2 validation errors', scenarioValidation],
  ['3 referral without JavaScript', scenarioNoScript],
  ['4 outbox and invitation', scenarioInvitation],
  ['5 320 px screen', scenarioSmallScreen],
  ['6 other authority gets 404', scenarioOtherAuthority],
  // With the impact dashboard (nine charts) for two of the roles: axe takes a while.
  ['7 every other role\'s pages', scenarioEveryRole, 120 * 1000],
  // Four or five roles and twenty or so pages each (axe takes 1-2 s a page): longer limits.
  ['8 journey from referral to hours', scenarioJourney, 180 * 1000],
  ['9 register and hours move', scenarioRegister, 150 * 1000],
  ['10 weekly report and its downloads', scenarioWeeklyReport, 90 * 1000],
  ['13 directory: find near a client, refer, accept, hours', scenarioDirectory, 120 * 1000],
  ['11 client answers feedback from the home page', scenarioFeedback, 90 * 1000],
  ['12 impact dashboard as admin and as lead', scenarioDashboard, 120 * 1000],
];
// CAIRN_SCREENSHOTS=DIR also saves the referral form at 1280 and 320 px wide there;
// CAIRN_E2E_ONLY=1,4 runs only the scenarios whose names start with those numbers.
if (process.env.CAIRN_SCREENSHOTS) scenarios.push(['screenshots', screenshots]);
if (process.env.CAIRN_E2E_ONLY) {
  const only = process.env.CAIRN_E2E_ONLY.split(',');
  for (let i = scenarios.length - 1; i >= 0; i--)
    if (!only.some((o) => scenarios[i][0].startsWith(o))) scenarios.splice(i, 1);
}
const DEADLINE_MS = scenarios.reduce((ms, [, , limit]) => ms + (limit || SCENARIO_MS), 60 * 1000);

// ---- main -------------------------------------------------------------------------------

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`e2e: gave up after ${DEADLINE_MS / 1000} s`);
    if (server) server.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }, DEADLINE_MS);
  const t0 = Date.now();
  let failed = 0;
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startServer(port, base);
    // Chromium's fresh profile (and anything else it writes) lives in our temp dir.
    process.env.TMPDIR = work;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const ctx = { base };
    for (const [i, [name, fn, ms = SCENARIO_MS]] of scenarios.entries()) {
      const s0 = Date.now();
      try {
        let timer;
        const limit = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Failure(`took longer than ${ms / 1000} s`)), ms);
        });
        const note = await Promise.race([fn(ctx), limit]).finally(() => clearTimeout(timer));
        console.log(`ok   ${name} (${((Date.now() - s0) / 1000).toFixed(1)} s)${note ? ': ' + note : ''}`);
      } catch (e) {
        failed += 1;
        console.log(`FAIL ${name} (${((Date.now() - s0) / 1000).toFixed(1)} s): ${e instanceof Failure ? e.message : e.stack}`);
        for (const page of pages) {
          if (page.isClosed()) continue;
          const h1 = await page.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '?');
          const problem = await page.locator('.ds_error-summary').innerText({ timeout: 500 }).catch(() => '');
          console.log(`     ${page.cairn.label} was at ${page.url()} "${h1}"${problem ? ' ' + JSON.stringify(problem) : ''}`);
        }
        if (server && server.exitedWith !== undefined) {
          console.log(`     the server has exited (${server.exitedWith}); its last output:\n${serverLog}`);
          for (const [rest] of scenarios.slice(i + 1)) console.log(`FAIL ${rest}: not run, the server is gone`);
          failed += scenarios.length - i - 1;
          break;
        }
      }
      pages.length = 0;
      // A failed scenario may leave pages open: close them before the next one.
      for (const c of browser.contexts()) await c.close().catch(() => {});
      mirror = null;
    }
  } catch (e) {
    failed += 1;
    console.log(`FAIL set-up: ${e.stack || e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    const stopProblem = await stopServer();
    if (stopProblem) {
      failed += 1;
      console.log(`FAIL server shutdown: ${stopProblem}\n${serverLog}`);
    }
    clearTimeout(watchdog);
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`e2e: ${scenarios.length} scenarios, ${failed} failed; axe ran on ${axeRuns} pages ` +
    `(tags ${AXE_TAGS.join(', ')}) in ${(axeMs / 1000).toFixed(1)} s; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  process.exit(failed ? 1 : 0);
}

main();

// The demo page in headless Chromium: two people chat, see each other, type, get denied.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { baseUrl, unique } from '../lib/server.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser;

before(async () => {
	// Fail loudly: a browser test that silently skips would hide a broken demo page.
	assert.ok(existsSync(executablePath),
		`Chromium not found at ${executablePath}: install it (apt-get install -y chromium chromium-driver, as .ci/run does) or set CHROMIUM_PATH`);
	browser = await chromium.launch({
		executablePath,
		args: ['--headless', '--no-sandbox', '--disable-background-networking'],
	});
});

after(async () => {
	await browser?.close();
});

/** A fresh browser context (its own cookies: its own session) logged in as `name`. */
async function openChat(room, name) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (error) => errors.push(error));
	page.errors = errors;
	await page.goto(`${baseUrl}/?room=${room}`);
	await page.fill('#login-name', name);
	await page.click('#login-button');
	await page.waitForSelector('#status.connected');
	assert.equal(await page.isVisible('#login'), false, 'the login form is gone once logged in');
	assert.equal(await page.textContent('#room'), `presence-chat-${room}`);
	return page;
}

function memberNames(page) {
	return page.$$eval('#members li', (items) => items.map((li) => li.dataset.name).sort());
}

test('two people in the demo page see each other, their messages and their typing', async () => {
	const room = unique('room');
	const alice = unique('alice');
	const bob = unique('bob');
	const alicePage = await openChat(room, alice);
	const bobPage = await openChat(room, bob);

	// The presence list shows both on both pages.
	const both = [alice, bob].sort();
	await alicePage.waitForFunction((n) => document.querySelectorAll('#members li').length === n, 2);
	await bobPage.waitForFunction((n) => document.querySelectorAll('#members li').length === n, 2);
	assert.deepEqual(await memberNames(alicePage), both);
	assert.deepEqual(await memberNames(bobPage), both);

	// Typing in one page shows the indicator in the other (a whisper).
	await alicePage.type('#message-input', 'hi bob');
	await bobPage.waitForFunction((n) => document.querySelector('#typing').textContent.includes(n), alice);
	assert.equal(await alicePage.textContent('#typing'), '', 'a whisper is not echoed to its sender');

	// A message sent by one appears in the other.
	await alicePage.click('#send-button');
	await bobPage.waitForFunction(() => document.querySelector('#messages li') !== null);
	assert.equal(await bobPage.textContent('#messages li'), `${alice}: hi bob`);
	await alicePage.waitForFunction(() => document.querySelector('#messages li') !== null);

	// The public clock ticks.
	await bobPage.waitForFunction(() => document.querySelector('#clock').textContent !== '–');

	// The nudge button reaches the other user's signed-in connection.
	await alicePage.click(`#members li[data-name="${bob}"] button`);
	await bobPage.waitForFunction((n) => document.querySelector('#notices').textContent.includes(`${n} nudged you`), alice);

	// The forbidden channel is refused by the auth endpoint with 403, as pusher-js reports it.
	await bobPage.click('#admin-button');
	await bobPage.waitForSelector('#admin-result.denied');
	assert.equal(await bobPage.textContent('#admin-result'), 'denied (status 403)');

	// Leaving updates the other's list.
	await bobPage.context().close();
	await alicePage.waitForFunction(() => document.querySelectorAll('#members li').length === 1);
	assert.deepEqual(await memberNames(alicePage), [alice]);

	// No uncaught exception in the page's scripts along the way.
	assert.deepEqual(alicePage.errors, []);
	await alicePage.context().close();
});

test('a second tab of the same session joins as the same member', async () => {
	const room = unique('room');
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceTab = await openChat(room, alice);
	const bobPage = await openChat(room, bob);
	// Same browser context = same cookies = same session: the page logs in by itself (/me).
	const secondTab = await aliceTab.context().newPage();
	await secondTab.goto(`${baseUrl}/?room=${room}`);
	await secondTab.waitForSelector('#status.connected');
	assert.equal(await secondTab.textContent('#me'), alice);
	await secondTab.waitForFunction(() => document.querySelectorAll('#members li').length === 2);
	assert.deepEqual(await memberNames(secondTab), [alice, bob].sort());
	assert.equal(await bobPage.textContent('#member-count'), '2');

	// Closing one of alice's tabs does not make her leave; closing the last one does.
	await aliceTab.close();
	await bobPage.waitForTimeout(500);
	assert.deepEqual(await memberNames(bobPage), [alice, bob].sort());
	await secondTab.close();
	await bobPage.waitForFunction(() => document.querySelectorAll('#members li').length === 1);
	await bobPage.context().close();
});

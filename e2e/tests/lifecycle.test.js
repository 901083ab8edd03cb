// The sample app's "last seen" endpoint, fed by the starter's lifecycle events
// (SignedInEvent, ConnectionClosedEvent) that an @EventListener receives.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, pusherClient, sleep } from '../lib/clients.js';
import { baseUrl, login, unique } from '../lib/server.js';

after(closeAll);

async function signedIn(cookie) {
	const pusher = await pusherClient(cookie);
	pusher.signin();
	await pusher.user.signinDonePromise;
	return pusher;
}

async function lastSeen(cookie) {
	const response = await fetch(`${baseUrl}/last-seen`, { headers: { cookie } });
	assert.equal(response.status, 200);
	return response.json();
}

/** Poll /last-seen until `predicate(entry)` holds for `user` (events arrive asynchronously). */
async function until(cookie, user, predicate, timeout = 10000) {
	const deadline = Date.now() + timeout;
	let entry;
	while (Date.now() < deadline) {
		entry = (await lastSeen(cookie))[user];
		if (entry && predicate(entry)) {
			return entry;
		}
		await sleep(100);
	}
	assert.fail(`/last-seen never matched for ${user}; last answer: ${JSON.stringify(entry)}`);
}

test('last seen follows a user\'s tabs: online while one is open, a time once the last closes', async () => {
	const alice = unique('alice');
	const cookie = await login(alice);
	const tab1 = await signedIn(cookie);
	const tab2 = await signedIn(cookie);
	await until(cookie, alice, (entry) => entry.online && entry.connections === 2);
	tab1.disconnect();
	const one = await until(cookie, alice, (entry) => entry.connections === 1);
	assert.equal(one.online, true);
	assert.equal(one.lastSeen, null);
	const before = Date.now();
	tab2.disconnect();
	const gone = await until(cookie, alice, (entry) => !entry.online);
	assert.equal(gone.connections, 0);
	assert.ok(Math.abs(Date.parse(gone.lastSeen) - before) < 60000, `lastSeen ${gone.lastSeen} is about now`);
});

test('last seen needs a login', async () => {
	const response = await fetch(`${baseUrl}/last-seen`);
	assert.equal(response.status, 401);
});

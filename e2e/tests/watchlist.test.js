// Watchlists: a signed-in user is told when the users on their watchlist (the friends named
// at login in the sample app) come online and go offline, through pusher.user.watchlist.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, pusherClient, sleep } from '../lib/clients.js';
import { login, unique } from '../lib/server.js';

after(closeAll);

async function signedIn(cookie) {
	const pusher = await pusherClient(cookie);
	pusher.signin();
	await pusher.user.signinDonePromise;
	return pusher;
}

/** Every watchlist event the client receives, as `online:id` / `offline:id`. */
function watchlistEvents(pusher) {
	const seen = [];
	for (const name of ['online', 'offline']) {
		pusher.user.watchlist.bind(name, (event) => {
			assert.equal(event.name, name);
			for (const id of event.user_ids) {
				seen.push(`${name}:${id}`);
			}
		});
	}
	return seen;
}

async function until(condition, what, timeout = 10000) {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		await sleep(20);
	}
}

test('a watcher is told who is online at sign-in, then each transition once across tabs', async () => {
	const wendy = unique('wendy');
	const ann = unique('ann');
	const bob = unique('bob');
	const annTab = await signedIn(await login(ann));

	const watcher = await pusherClient(await login(wendy, [ann, bob]));
	const seen = watchlistEvents(watcher);
	watcher.signin();
	await watcher.user.signinDonePromise;
	await until(() => seen.length === 1, 'the online users at sign-in');
	assert.deepEqual(seen, [`online:${ann}`]);

	// Bob opens two tabs: one transition to online.
	const bobCookie = await login(bob);
	const bobTabs = [await signedIn(bobCookie), await signedIn(bobCookie)];
	await until(() => seen.length === 2, `${bob} online`);
	// One tab closes: Bob is still online. Then the other: offline, once.
	bobTabs[0].disconnect();
	await sleep(500);
	assert.deepEqual(seen, [`online:${ann}`, `online:${bob}`]);
	bobTabs[1].disconnect();
	annTab.disconnect();
	await until(() => seen.length === 4, 'both offline');
	assert.deepEqual(seen.slice(2).sort(), [`offline:${ann}`, `offline:${bob}`].sort());
	await sleep(300);
	assert.equal(seen.length, 4);
});

test('a connection that is not signed in, or watches nobody, receives no watchlist events', async () => {
	const carl = unique('carl');
	const anonymous = await pusherClient();
	const anonymousSeen = watchlistEvents(anonymous);
	const loner = await pusherClient(await login(unique('loner')));
	const lonerSeen = watchlistEvents(loner);
	loner.signin();
	await loner.user.signinDonePromise;
	const carlTab = await signedIn(await login(carl));
	await sleep(300);
	carlTab.disconnect();
	await sleep(300);
	assert.deepEqual(anonymousSeen, []);
	assert.deepEqual(lonerSeen, []);
});

// User authentication (pusher.signin) and messages the server sends to one user.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, next, pusherClient, sleep } from '../lib/clients.js';
import { login, post, unique } from '../lib/server.js';

after(closeAll);

async function signedIn(cookie) {
	const pusher = await pusherClient(cookie);
	pusher.signin();
	await pusher.user.signinDonePromise;
	return pusher;
}

test('signin gives the connection the user data the UserAuthenticator chose', async () => {
	const alice = unique('alice');
	const pusher = await signedIn(await login(alice));
	assert.deepEqual(pusher.authStatuses, [200]);
	assert.equal(pusher.user.user_data?.id, alice);
	assert.deepEqual(pusher.user.user_data?.user_info, { name: alice });
});

test('a nudge sent to a user reaches every signed-in connection of that user and nobody else', async () => {
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceCookie = await login(alice);
	const tabs = [await signedIn(aliceCookie), await signedIn(aliceCookie)];
	const bobPusher = await signedIn(await login(bob));
	const bobNudges = [];
	bobPusher.user.bind('nudge', (n) => bobNudges.push(n));

	const received = tabs.map((tab) => next(tab.user, 'nudge'));
	const response = await post('/nudge', await login(bob), { to: alice });
	assert.equal(response.status, 202);
	for (const nudge of await Promise.all(received)) {
		assert.deepEqual(nudge, { from: bob });
	}
	await sleep(300);
	assert.deepEqual(bobNudges, []);
});

test('signin without a session is refused with 403 and the connection stays usable', async () => {
	const pusher = await pusherClient();
	const error = next(pusher.user, 'pusher:signin_error');
	pusher.signin();
	assert.match((await error).error, /status 403/);
	assert.equal(pusher.user.user_data, null);
	assert.equal(pusher.connection.state, 'connected');
});

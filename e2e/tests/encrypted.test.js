// Encrypted channels: the server encrypts what the application publishes (Realtime.publish),
// pusher-js decrypts it with the shared secret from the auth endpoint; events the `pusher`
// server SDK encrypted itself pass through the HTTP API untouched.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import PusherServer from 'pusher';
import { closeAll, next, pusherClient, subscribed } from '../lib/clients.js';
import { appKey, host, login, port, post, unique } from '../lib/server.js';

after(closeAll);

/** The sample app's credentials and master key (application.yml), overridable like the key. */
const appId = process.env.REALTIME_APP_ID ?? 'sample-app';
const secret = process.env.REALTIME_SECRET ?? 'sample-secret-change-me';
const masterKey = process.env.REALTIME_ENCRYPTION_MASTER_KEY ?? 'ZGVtby1tYXN0ZXIta2V5LWNoYW5nZS1tZS0xMjM0NTY=';

function serverSdk(overrides = {}) {
	return new PusherServer({ appId, key: appKey, secret, host, port: String(port), useTLS: false, ...overrides });
}

/** Every event the client received on `channel`, as it came off the wire (before decryption). */
function wireEvents(client, channel) {
	const events = [];
	client.connection.bind('message', (message) => {
		if (message.channel === channel) {
			events.push(message);
		}
	});
	return events;
}

test('pusher-js decrypts what the server encrypted for a private-encrypted channel', async () => {
	const alice = unique('alice');
	const bob = unique('bob');
	const client = await pusherClient(await login(alice));
	const inbox = `private-encrypted-user-${alice}`;
	const wire = wireEvents(client, inbox);
	const channel = await subscribed(client, inbox);
	const received = next(channel, 'secret');
	const response = await post('/secret', await login(bob), { to: alice, text: 'the eagle lands at noon' });
	assert.equal(response.status, 202);
	assert.deepEqual(await received, { from: bob, text: 'the eagle lands at noon' });
	const sent = wire.find((message) => message.event === 'secret');
	assert.ok(sent, 'the event was seen on the wire');
	assert.deepEqual(Object.keys(sent.data).sort(), ['ciphertext', 'nonce']);
	assert.equal(Buffer.from(sent.data.nonce, 'base64').length, 24);
	assert.ok(!JSON.stringify(sent).includes('eagle'), `no plaintext on the wire: ${JSON.stringify(sent)}`);
});

test('another user cannot join someone else\'s encrypted inbox', async () => {
	const alice = unique('alice');
	const client = await pusherClient(await login(unique('mallory')));
	await assert.rejects(subscribed(client, `private-encrypted-user-${alice}`), /subscription_error/);
});

test('events the server SDK encrypted reach pusher-js through the HTTP API, not encrypted twice', async () => {
	const alice = unique('alice');
	const client = await pusherClient(await login(alice));
	const channel = await subscribed(client, `private-encrypted-user-${alice}`);
	const received = next(channel, 'sealed');
	const sdk = serverSdk({ encryptionMasterKeyBase64: masterKey });
	const response = await sdk.trigger(`private-encrypted-user-${alice}`, 'sealed', { n: 42 });
	assert.equal(response.status, 200);
	assert.deepEqual(await received, { n: 42 });
});

test('an HTTP API event to several channels, one of them encrypted, is refused with 400', async () => {
	const sdk = serverSdk({ encryptionMasterKeyBase64: masterKey });
	const channels = [unique('news-'), `private-encrypted-user-${unique('alice')}`];
	// The SDK refuses it before sending...
	assert.throws(() => sdk.trigger(channels, 'e', { n: 1 }), /cannot trigger to multiple channels/);
	// ...and the server refuses the same body sent by hand.
	const client = await pusherClient();
	const plain = await subscribed(client, channels[0]);
	const seen = [];
	plain.bind('e', (data) => seen.push(data));
	await assert.rejects(sdk.post({ path: '/events', body: { name: 'e', data: '{}', channels } }), (error) => {
		assert.equal(error.status, 400);
		assert.match(error.body, /You cannot trigger to multiple channels when using encrypted channels/);
		return true;
	});
	const marker = next(plain, 'marker');
	await sdk.trigger(channels[0], 'marker', {});
	await marker;
	assert.deepEqual(seen, [], 'nothing of the refused event was published');
});

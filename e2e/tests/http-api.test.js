// The HTTP API and cache channels driven by the official `pusher` server SDK, with pusher-js clients.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import PusherServer from 'pusher';
import { closeAll, next, pusherClient, subscribed } from '../lib/clients.js';
import { baseUrl, appKey, host, login, port, unique } from '../lib/server.js';

after(closeAll);

/** The sample app's credentials (application.yml), overridable like the key. */
const appId = process.env.REALTIME_APP_ID ?? 'sample-app';
const secret = process.env.REALTIME_SECRET ?? 'sample-secret-change-me';

function serverSdk(overrides = {}) {
	return new PusherServer({ appId, key: appKey, secret, host, port: String(port), useTLS: false, ...overrides });
}

test('trigger reaches pusher-js subscribers and answers {}', async () => {
	const channel = unique('news-');
	const client = await pusherClient();
	const news = await subscribed(client, channel);
	const received = next(news, 'headline');
	const response = await serverSdk().trigger(channel, 'headline', { text: 'hello' });
	assert.equal(response.status, 200);
	assert.deepEqual(await response.json(), {});
	assert.deepEqual(await received, { text: 'hello' });
});

test('socket_id excludes that connection', async () => {
	const channel = unique('room-');
	const sender = await pusherClient();
	const other = await pusherClient();
	const senderChannel = await subscribed(sender, channel);
	const otherChannel = await subscribed(other, channel);
	const seenBySender = [];
	senderChannel.bind('said', (data) => seenBySender.push(data));
	const received = next(otherChannel, 'said');
	await serverSdk().trigger(channel, 'said', { n: 1 }, { socket_id: sender.connection.socket_id });
	assert.deepEqual(await received, { n: 1 });
	const marker = next(senderChannel, 'marker');
	await serverSdk().trigger(channel, 'marker', {});
	await marker;
	assert.deepEqual(seenBySender, []);
});

test('triggerBatch publishes every event', async () => {
	const channel = unique('batch-');
	const client = await pusherClient();
	const batch = await subscribed(client, channel);
	const first = next(batch, 'first');
	const second = next(batch, 'second');
	const response = await serverSdk().triggerBatch([
		{ channel, name: 'first', data: { n: 1 } },
		{ channel, name: 'second', data: { n: 2 } },
	]);
	assert.equal(response.status, 200);
	assert.deepEqual(await first, { n: 1 });
	assert.deepEqual(await second, { n: 2 });
});

test('channel queries count the subscribers', async () => {
	const prefix = unique('count-');
	const a = await pusherClient();
	const b = await pusherClient();
	await subscribed(a, `${prefix}-x`);
	await subscribed(b, `${prefix}-x`);
	const sdk = serverSdk();
	const one = await sdk.get({ path: `/channels/${prefix}-x`, params: { info: 'subscription_count' } });
	assert.deepEqual(await one.json(), { occupied: true, subscription_count: 2 });
	const list = await sdk.get({ path: '/channels', params: { filter_by_prefix: prefix, info: 'subscription_count' } });
	assert.deepEqual(await list.json(), { channels: { [`${prefix}-x`]: { subscription_count: 2 } } });
	const empty = await sdk.get({ path: `/channels/${prefix}-nobody` });
	assert.deepEqual(await empty.json(), { occupied: false });
});

test('presence queries list the users once per user, whatever their tabs', async () => {
	const room = `presence-chat-${unique('room')}`;
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceCookie = await login(alice);
	await subscribed(await pusherClient(aliceCookie), room);
	await subscribed(await pusherClient(aliceCookie), room);
	await subscribed(await pusherClient(await login(bob)), room);
	const sdk = serverSdk();
	const users = await (await sdk.get({ path: `/channels/${room}/users` })).json();
	assert.deepEqual(users.users.map((u) => u.id).sort(), [alice, bob].sort());
	const info = await sdk.get({ path: `/channels/${room}`, params: { info: 'user_count,subscription_count' } });
	assert.deepEqual(await info.json(), { occupied: true, subscription_count: 3, user_count: 2 });
	const list = await sdk.get({ path: '/channels', params: { filter_by_prefix: room, info: 'user_count' } });
	assert.deepEqual(await list.json(), { channels: { [room]: { user_count: 2 } } });
});

test('a cache channel gives its last event to a new subscriber, or pusher:cache_miss', async () => {
	const channel = unique('cache-prices-');
	await serverSdk().trigger(channel, 'price', { eur: 1 });
	await serverSdk().trigger(channel, 'price', { eur: 2 });
	const client = await pusherClient();
	const prices = client.subscribe(channel);
	assert.deepEqual(await next(prices, 'price'), { eur: 2 });

	const empty = client.subscribe(unique('cache-empty-'));
	await next(empty, 'pusher:cache_miss');
});

test('terminateUserConnections closes the signed-in user\'s connections', async () => {
	const alice = unique('alice');
	const pusher = await pusherClient(await login(alice));
	pusher.signin();
	await pusher.user.signinDonePromise;
	// pusher-js closes its (already closed) faye socket again on a 40xx close, which leaves a
	// 30 s close timer behind in Node; cleared below so the test file ends promptly.
	const socket = pusher.connection.connection.transport.socket;
	const closed = new Promise((resolve) => pusher.connection.bind('state_change', ({ current }) => {
		if (current !== 'connected') {
			resolve(current);
		}
	}));
	const error = new Promise((resolve) => pusher.connection.bind('error', resolve));
	const response = await serverSdk().terminateUserConnections(alice);
	assert.equal(response.status, 200);
	assert.equal(await closed, 'disconnected');
	clearTimeout(socket._closeTimer);
	assert.equal((await error).data.code, 4009);
});

test('a wrong secret is refused with 401', async () => {
	await assert.rejects(serverSdk({ secret: 'not-the-secret' }).trigger('any', 'e', {}), (error) => {
		assert.equal(error.status, 401);
		return true;
	});
});

test('hand-built bad requests: stale timestamp 401, tampered body 401, bad JSON 400, oversize 413, unknown app 404', async () => {
	const now = Math.floor(Date.now() / 1000);
	assert.equal((await signedPost(`/apps/${appId}/events`, event('x'), now - 601)).status, 401);
	const signed = event('x');
	assert.equal((await signedPost(`/apps/${appId}/events`, signed, now, signed.replace('"x"', '"y"'))).status, 401);
	const badJson = await signedPost(`/apps/${appId}/events`, '{"name":', now);
	assert.equal(badJson.status, 400);
	assert.match(await badJson.text(), /not valid JSON/);
	assert.equal((await signedPost(`/apps/${appId}/events`, event('x'.repeat(11 * 1024)), now)).status, 413);
	assert.equal((await signedPost('/apps/no-such-app/events', event('x'), now)).status, 404);
});

function event(data) {
	return JSON.stringify({ name: 'e', channel: 'any', data });
}

/** POST `body` signed for `signedBody` (default: the same) at `timestamp`, as the SDKs sign. */
async function signedPost(path, signedBody, timestamp, body = signedBody) {
	const params = {
		auth_key: appKey,
		auth_timestamp: String(timestamp),
		auth_version: '1.0',
		body_md5: crypto.createHash('md5').update(signedBody).digest('hex'),
	};
	const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
	const signature = crypto.createHmac('sha256', secret).update(`POST\n${path}\n${query}`).digest('hex');
	return fetch(`${baseUrl}${path}?${query}&auth_signature=${signature}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
	});
}

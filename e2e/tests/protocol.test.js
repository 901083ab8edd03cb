// The wire protocol seen from a raw WebSocket: handshake, errors, and what bad input gets.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, frame, rawSocket, send } from '../lib/clients.js';
import { appKey, baseUrl, login, unique } from '../lib/server.js';

after(closeAll);

const established = (f) => f.event === 'pusher:connection_established';
const isError = (f) => f.event === 'pusher:error';

async function connectedSocket() {
	const socket = rawSocket();
	const hello = await frame(socket, established);
	return { socket, hello: JSON.parse(hello.data) };
}

/** The connection still works: a ping is answered with a pong. */
async function assertAlive(socket) {
	send(socket, { event: 'pusher:ping', data: {} });
	await frame(socket, (f) => f.event === 'pusher:pong');
}

test('the handshake sends a socket id and the activity timeout, data encoded as a JSON string', async () => {
	const { hello } = await connectedSocket();
	assert.match(hello.socket_id, /^\d+\.\d+$/);
	assert.equal(typeof hello.activity_timeout, 'number');
});

test('an unknown app key gets pusher:error 4001 and close code 4001', async () => {
	const socket = rawSocket('/app/no-such-key?protocol=7&client=js&version=8.6.0&flash=false');
	const error = await frame(socket, isError);
	assert.equal(JSON.parse(error.data).code, 4001);
	assert.equal((await socket.closed).code, 4001);
});

for (const protocol of [4, 8]) {
	test(`protocol ${protocol}, which Pusher does not accept either, gets close code 4007`, async () => {
		const socket = rawSocket(`/app/${appKey}?protocol=${protocol}&client=js&version=1.0.0`);
		assert.equal((await socket.closed).code, 4007);
	});
}

test('protocol 5, what the Java and Android client sends, is accepted', async () => {
	const socket = rawSocket(`/app/${appKey}?protocol=5&client=java-client&version=2.4.4`);
	const hello = JSON.parse((await frame(socket, established)).data);
	assert.match(hello.socket_id, /^\d+\.\d+$/);
	await assertAlive(socket);
});

test('a frame that is not JSON gets pusher:error and the connection survives', async () => {
	const { socket } = await connectedSocket();
	send(socket, '{this is not json');
	const error = JSON.parse((await frame(socket, isError)).data);
	assert.match(error.message, /invalid message format/i);
	await assertAlive(socket);
});

/** The refusal of a subscription, as pusher-js reads it: on the channel, data {type, error, status}. */
async function subscriptionError(socket, channel) {
	const refusal = await frame(socket, (f) => f.event === 'pusher:subscription_error' && f.channel === channel);
	await assertAlive(socket);
	assert.deepEqual(socket.frames.filter((f) => f.event === 'pusher_internal:subscription_succeeded'), []);
	return JSON.parse(refusal.data);
}

test('an invalid channel name gets subscription_error 400 without closing the connection', async () => {
	const { socket } = await connectedSocket();
	const channel = 'no spaces allowed!';
	send(socket, { event: 'pusher:subscribe', data: { channel } });
	const error = await subscriptionError(socket, channel);
	assert.equal(error.type, 'InvalidChannel');
	assert.equal(error.status, 400);
});

test('a channel name over 164 characters is refused', async () => {
	const { socket } = await connectedSocket();
	const channel = 'x'.repeat(165);
	send(socket, { event: 'pusher:subscribe', data: { channel } });
	assert.equal((await subscriptionError(socket, channel)).status, 400);
});

test('a private channel with a forged signature gets subscription_error 401', async () => {
	const { socket } = await connectedSocket();
	const channel = 'private-user-anyone';
	send(socket, { event: 'pusher:subscribe', data: { channel, auth: `${appKey}:${'0'.repeat(64)}` } });
	const error = await subscriptionError(socket, channel);
	assert.equal(error.type, 'AuthError');
	assert.equal(error.status, 401);
});

test('a signature made for another connection is refused', async () => {
	const { socket: victim, hello } = await connectedSocket();
	const { socket: thief } = await connectedSocket();
	const cookie = await login(unique('alice'));
	const response = await fetch(`${baseUrl}/broadcasting/auth`, {
		method: 'POST',
		headers: { cookie },
		body: new URLSearchParams({ socket_id: hello.socket_id, channel_name: 'presence-chat-stolen' }),
	});
	assert.equal(response.status, 200);
	const { auth, channel_data } = await response.json();
	send(thief, { event: 'pusher:subscribe', data: { channel: 'presence-chat-stolen', auth, channel_data } });
	assert.equal((await subscriptionError(thief, 'presence-chat-stolen')).status, 401);
	send(victim, { event: 'pusher:subscribe', data: { channel: 'presence-chat-stolen', auth, channel_data } });
	await frame(victim, (f) => f.event === 'pusher_internal:subscription_succeeded');
});

test('a client event on a public channel is not relayed', async () => {
	const { socket: sender } = await connectedSocket();
	const { socket: listener } = await connectedSocket();
	for (const s of [sender, listener]) {
		send(s, { event: 'pusher:subscribe', data: { channel: 'clock' } });
		await frame(s, (f) => f.event === 'pusher_internal:subscription_succeeded');
	}
	send(sender, { event: 'client-hello', channel: 'clock', data: {} });
	await frame(sender, isError);
	await assertAlive(listener);
	assert.equal(listener.frames.filter((f) => f.event === 'client-hello').length, 0);
});

// The wire protocol seen from a raw WebSocket: handshake, errors, and what bad input gets.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, frame, rawSocket, send } from '../lib/clients.js';
import { appKey } from '../lib/server.js';

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

test('an unsupported protocol version gets close code 4007', async () => {
	const socket = rawSocket(`/app/${appKey}?protocol=5&client=js&version=1.0.0`);
	assert.equal((await socket.closed).code, 4007);
});

test('a frame that is not JSON gets pusher:error and the connection survives', async () => {
	const { socket } = await connectedSocket();
	send(socket, '{this is not json');
	await frame(socket, isError);
	await assertAlive(socket);
});

test('an invalid channel name is refused without closing the connection', async () => {
	const { socket } = await connectedSocket();
	send(socket, { event: 'pusher:subscribe', data: { channel: 'no spaces allowed!' } });
	const refusal = await frame(socket, (f) => isError(f) || f.event === 'pusher:subscription_error');
	assert.ok(!('event' in refusal && refusal.event === 'pusher_internal:subscription_succeeded'));
	await assertAlive(socket);
	assert.equal(socket.frames.filter((f) => f.event === 'pusher_internal:subscription_succeeded').length, 0);
});

test('a private channel with a forged signature is refused', async () => {
	const { socket, hello } = await connectedSocket();
	send(socket, {
		event: 'pusher:subscribe',
		data: { channel: 'private-user-anyone', auth: `${appKey}:${'0'.repeat(64)}` },
	});
	const refusal = await frame(socket, (f) => isError(f) || f.event === 'pusher:subscription_error');
	assert.ok(refusal, `refused for socket ${hello.socket_id}`);
	await assertAlive(socket);
	assert.equal(socket.frames.filter((f) => f.event === 'pusher_internal:subscription_succeeded').length, 0);
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

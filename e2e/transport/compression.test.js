// permessage-deflate (realtime.compression.enabled=true) with Node's `ws`, which offers it
// by default: the bytes on the wire are compressed (RSV1 set, fewer bytes), decode to the
// event, and a client frame that inflates far past the message limit closes with 1009.
// Run by SampleAppTransportE2eIT (Netty, wss) and SampleAppServletCompressionE2eIT.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import PusherServer from 'pusher';
import WebSocket from 'ws';
import { appKey, host, port, unique, wsPort } from '../lib/server.js';

const scheme = process.env.REALTIME_WS_SCHEME ?? 'ws';
const appId = process.env.REALTIME_APP_ID ?? 'sample-app';
const secret = process.env.REALTIME_SECRET ?? 'sample-secret-change-me';
const sockets = new Set();

after(() => sockets.forEach((socket) => socket.terminate()));

/** A `ws` client that also keeps every raw byte the server sent, to read the frames' RSV1 bits. */
function open() {
	const socket = new WebSocket(`${scheme}://${host}:${wsPort}/app/${appKey}?protocol=7&client=js&version=8.6.0`);
	sockets.add(socket);
	socket.raw = [];
	socket.messages = [];
	socket.on('upgrade', (response) => (socket.offerAnswer = response.headers['sec-websocket-extensions']));
	socket.on('open', () => socket._socket.on('data', (chunk) => socket.raw.push(chunk)));
	socket.on('message', (data) => socket.messages.push(JSON.parse(data.toString())));
	socket.on('error', () => {});
	socket.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
	return socket;
}

/** The server's frames as on the wire: { rsv1, opcode, length }. */
function wireFrames(socket) {
	const bytes = Buffer.concat(socket.raw);
	const frames = [];
	let at = 0;
	while (at + 2 <= bytes.length) {
		let length = bytes[at + 1] & 0x7f;
		let header = 2;
		if (length === 126) {
			length = bytes.readUInt16BE(at + 2);
			header = 4;
		} else if (length === 127) {
			length = Number(bytes.readBigUInt64BE(at + 2));
			header = 10;
		}
		frames.push({ rsv1: (bytes[at] & 0x40) !== 0, opcode: bytes[at] & 0x0f, length });
		at += header + length;
	}
	return frames;
}

async function until(condition, what, timeout = 10000) {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

async function connected() {
	const socket = open();
	await until(() => socket.messages.some((m) => m.event === 'pusher:connection_established'), 'connection_established');
	return socket;
}

test('ws negotiates permessage-deflate and broadcasts arrive compressed and decoded', async () => {
	const socket = await connected();
	assert.match(socket.offerAnswer ?? '', /permessage-deflate/);
	assert.match(socket.extensions, /permessage-deflate/);
	const channel = unique('zip-');
	socket.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel } }));
	await until(() => socket.messages.some((m) => m.event === 'pusher_internal:subscription_succeeded'), 'subscribed');
	const text = 'compress me, '.repeat(200);
	const sdk = new PusherServer({ appId, key: appKey, secret, host, port: String(port), useTLS: false });
	const response = await sdk.trigger(channel, 'big', { text });
	assert.equal(response.status, 200);
	await until(() => socket.messages.some((m) => m.event === 'big'), 'the event');
	const event = socket.messages.find((m) => m.event === 'big');
	assert.deepEqual(JSON.parse(event.data), { text });
	const big = wireFrames(socket).filter((f) => f.opcode === 1).at(-1);
	assert.equal(big.rsv1, true, 'RSV1: the frame was compressed');
	assert.ok(big.length < text.length / 4, `compressed ${big.length} bytes for ${text.length} characters`);
});

test('a compressed frame inflating past the limit is refused with 1009', async () => {
	const socket = await connected();
	// ws compresses it (about 10 KB on the wire, under the frame limit); inflated it is 10 MB.
	socket.send(JSON.stringify({ event: 'pusher:ping', data: 'a'.repeat(10 * 1024 * 1024) }));
	assert.equal(await socket.closed, 1009);
	const again = await connected();
	again.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
	await until(() => again.messages.some((m) => m.event === 'pusher:pong'), 'pong after the refused bomb');
});

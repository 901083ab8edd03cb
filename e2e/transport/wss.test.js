// pusher-js over wss:// (forceTLS) against the Netty endpoint's TLS from an SSL bundle.
// Node trusts the test's self-signed certificate through NODE_EXTRA_CA_CERTS, set by
// SampleAppTransportE2eIT for this process only. Skipped when the endpoint is plain ws://.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Pusher from 'pusher-js';
import PusherServer from 'pusher';
import { appKey, host, port, unique, wsPort } from '../lib/server.js';

const secure = process.env.REALTIME_WS_SCHEME === 'wss';
const appId = process.env.REALTIME_APP_ID ?? 'sample-app';
const secret = process.env.REALTIME_SECRET ?? 'sample-secret-change-me';
const clients = [];

after(() => clients.forEach((client) => client.disconnect()));

test('pusher-js connects with forceTLS and receives an event', { skip: !secure && 'endpoint is ws://' }, async () => {
	const pusher = new Pusher(appKey, {
		cluster: 'local',
		wsHost: host,
		wssPort: wsPort,
		forceTLS: true,
		enabledTransports: ['ws'], // pusher-js's WebSocket transport; forceTLS makes it wss://
	});
	clients.push(pusher);
	await new Promise((resolve, reject) => {
		pusher.connection.bind('connected', resolve);
		pusher.connection.bind('failed', () => reject(new Error('connection failed')));
		pusher.connection.bind('unavailable', () => reject(new Error('connection unavailable')));
	});
	const name = unique('tls-');
	const channel = pusher.subscribe(name);
	await new Promise((resolve) => channel.bind('pusher:subscription_succeeded', resolve));
	const received = new Promise((resolve) => channel.bind('secret', resolve));
	const sdk = new PusherServer({ appId, key: appKey, secret, host, port: String(port), useTLS: false });
	await sdk.trigger(name, 'secret', { over: 'tls' });
	assert.deepEqual(await received, { over: 'tls' });
});

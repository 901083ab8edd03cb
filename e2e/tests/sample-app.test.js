// The sample app's own HTTP surface: the toy login, its guards, and the actuator endpoints it exposes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, login, port, post, unique, wsPort } from '../lib/server.js';

test('a name that could not be part of a channel name is refused', async () => {
	for (const name of ['', 'has space', 'x'.repeat(33), 'semi;colon']) {
		const response = await post('/login', null, { name });
		assert.equal(response.status, 400, `login as ${JSON.stringify(name)}`);
	}
});

test('/me tells who the session belongs to', async () => {
	assert.equal((await fetch(`${baseUrl}/me`)).status, 401);
	const name = unique('alice');
	const response = await fetch(`${baseUrl}/me`, { headers: { cookie: await login(name) } });
	assert.deepEqual(await response.json(), { name });
});

test('publishing endpoints need a session and valid input', async () => {
	assert.equal((await post('/messages', null, { text: 'hi' })).status, 401);
	assert.equal((await post('/nudge', null, { to: 'bob' })).status, 401);
	const cookie = await login(unique('alice'));
	assert.equal((await post('/messages', cookie, { text: '   ' })).status, 400);
	assert.equal((await post('/messages', cookie, { text: 'x'.repeat(501) })).status, 400);
	assert.equal((await post('/direct', cookie, { to: 'not valid!', text: 'hi' })).status, 400);
});

test('the page and its vendored clients are served by the app', async () => {
	for (const path of ['/', '/app.js', '/vendor/pusher.min.js', '/vendor/echo.iife.js']) {
		assert.equal((await fetch(`${baseUrl}${path}`)).status, 200, path);
	}
	// The WebSocket port is told to the page only when the endpoint has its own (Netty transport).
	const expected = { key: process.env.REALTIME_KEY ?? 'sample-key' };
	if (wsPort !== port) {
		expected.wsPort = wsPort;
	}
	assert.deepEqual(await (await fetch(`${baseUrl}/client-config`)).json(), expected);
});

test('actuator exposes health with details, and metrics', async () => {
	const health = await (await fetch(`${baseUrl}/actuator/health`)).json();
	assert.equal(health.status, 'UP');
	assert.ok(health.components, 'health shows its components (show-details: always)');
	const metrics = await (await fetch(`${baseUrl}/actuator/metrics`)).json();
	assert.ok(metrics.names.includes('http.server.requests'), 'metrics endpoint lists meters');
});

// Subscription counts (realtime.subscription-count.enabled in the sample app): pusher-js
// emits pusher:subscription_count when the channel's count changes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, pusherClient, sleep, subscribed } from '../lib/clients.js';
import { login, unique } from '../lib/server.js';

after(closeAll);

/** Every count `channel` is told, in order. */
function counts(channel) {
	const seen = [];
	channel.bind('pusher:subscription_count', (data) => seen.push(data.subscription_count));
	return seen;
}

async function until(seen, predicate, what, timeout = 10000) {
	const deadline = Date.now() + timeout;
	while (Date.now() < deadline) {
		if (predicate(seen)) {
			return;
		}
		await sleep(50);
	}
	assert.fail(`timed out waiting for ${what}; counts seen: ${JSON.stringify(seen)}`);
}

test('pusher-js subscribers see the count go up and down', async () => {
	const name = unique('counted-');
	const first = await pusherClient();
	const channel = first.subscribe(name);
	const seen = counts(channel);
	await until(seen, (s) => s.at(-1) === 1, 'count 1');
	const second = await pusherClient();
	const other = await subscribed(second, name);
	await until(seen, (s) => s.at(-1) === 2, 'count 2');
	assert.equal(channel.subscriptionCount, 2, 'pusher-js keeps the last count on the channel');
	second.unsubscribe(name);
	await until(seen, (s) => s.at(-1) === 1, 'count 1 again');
	assert.ok(other, 'the second client had subscribed');
	// Changes are sent at most once a round and only when the count changed.
	assert.ok(seen.every((count, i) => i === 0 || count !== seen[i - 1]), `no repeated count: ${seen}`);
});

test('presence channels get no counts (their members say more)', async () => {
	const client = await pusherClient(await login(unique('alice')));
	const room = await subscribed(client, `presence-chat-${unique('room')}`);
	const seen = counts(room);
	const marker = await subscribed(client, unique('marker-'));
	const markerCounts = counts(marker);
	// Once the public channel beside it has been counted, a round has passed the presence channel by.
	await until(markerCounts, (s) => s.length > 0, 'the public channel counted');
	await sleep(1500);
	assert.deepEqual(seen, []);
});

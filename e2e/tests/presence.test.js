// Presence channels through pusher-js and laravel-echo: rosters, tabs, whispers, server messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, echoClient, next, nextWithMetadata, pusherClient, sleep, subscribed } from '../lib/clients.js';
import { login, post, unique } from '../lib/server.js';

after(closeAll);

/** Long enough for a frame the server should NOT send to have arrived on localhost. */
const GRACE_MS = 500;

function ids(members) {
	const list = [];
	members.each((member) => list.push(member.id));
	return list.sort();
}

test('two users see each other join and leave, with the info the Authorizer gave them', async () => {
	const room = `presence-chat-${unique('room')}`;
	const alice = unique('alice');
	const bob = unique('bob');
	const alicePusher = await pusherClient(await login(alice));
	const aliceRoom = await subscribed(alicePusher, room);
	assert.deepEqual(ids(aliceRoom.members), [alice]);
	assert.equal(aliceRoom.members.me.id, alice);
	assert.deepEqual(aliceRoom.members.me.info, { name: alice });

	const bobJoined = next(aliceRoom, 'pusher:member_added');
	const bobPusher = await pusherClient(await login(bob));
	const bobRoom = await subscribed(bobPusher, room);
	assert.deepEqual(ids(bobRoom.members), [alice, bob].sort());
	assert.equal(bobRoom.members.count, 2);
	const added = await bobJoined;
	assert.equal(added.id, bob);
	assert.deepEqual(added.info, { name: bob });

	const bobLeft = next(aliceRoom, 'pusher:member_removed');
	bobPusher.disconnect();
	assert.equal((await bobLeft).id, bob);
	assert.deepEqual(ids(aliceRoom.members), [alice]);
});

test('two tabs of one user are one member: added once, removed when the last tab leaves', async () => {
	const room = `presence-chat-${unique('room')}`;
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceCookie = await login(alice);
	const bobRoom = await subscribed(await pusherClient(await login(bob)), room);

	const events = [];
	bobRoom.bind('pusher:member_added', (m) => events.push(`added ${m.id}`));
	bobRoom.bind('pusher:member_removed', (m) => events.push(`removed ${m.id}`));

	const firstTab = await pusherClient(aliceCookie);
	const firstAdded = next(bobRoom, 'pusher:member_added');
	await subscribed(firstTab, room);
	await firstAdded;
	const secondTab = await pusherClient(aliceCookie);
	const secondRoom = await subscribed(secondTab, room);
	assert.equal(secondRoom.members.count, 2, 'the second tab sees alice and bob, not alice twice');
	await sleep(GRACE_MS);
	assert.deepEqual(events, [`added ${alice}`]);
	assert.equal(bobRoom.members.count, 2);

	firstTab.disconnect();
	await sleep(GRACE_MS);
	assert.deepEqual(events, [`added ${alice}`], 'alice still has a tab open');

	const removed = next(bobRoom, 'pusher:member_removed');
	secondTab.disconnect();
	assert.equal((await removed).id, alice);
	assert.deepEqual(events, [`added ${alice}`, `removed ${alice}`]);
	assert.equal(bobRoom.members.count, 1);
});

test('laravel-echo: here / joining / leaving, server messages and whispers that are not echoed', async () => {
	const name = unique('room');
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceEcho = await echoClient(await login(alice));
	const bobEcho = await echoClient(await login(bob));

	const aliceHere = new Promise((resolve) => aliceEcho.join(`chat-${name}`).here(resolve));
	assert.deepEqual(await aliceHere, [{ name: alice }]);
	const aliceChannel = aliceEcho.join(`chat-${name}`);
	const joining = new Promise((resolve) => aliceChannel.joining(resolve));
	const bobChannel = bobEcho.join(`chat-${name}`);
	const bobHere = await new Promise((resolve) => bobChannel.here(resolve));
	assert.deepEqual(bobHere.map((m) => m.name).sort(), [alice, bob].sort());
	assert.deepEqual(await joining, { name: bob });

	// A message posted over HTTP reaches both members as the `message` event.
	const atAlice = new Promise((resolve) => aliceChannel.listen('.message', resolve));
	const atBob = new Promise((resolve) => bobChannel.listen('.message', resolve));
	const response = await post('/messages', await login(alice), { room: name, text: 'hello' });
	assert.equal(response.status, 202);
	assert.deepEqual(await atAlice, { user: alice, text: 'hello' });
	assert.deepEqual(await atBob, { user: alice, text: 'hello' });

	// A whisper is a client event: relayed to bob, never echoed back to alice.
	const echoedToAlice = [];
	aliceChannel.listenForWhisper('typing', (e) => echoedToAlice.push(e));
	const whispered = new Promise((resolve) => bobChannel.listenForWhisper('typing', resolve));
	aliceChannel.whisper('typing', { name: alice, typing: true });
	assert.deepEqual(await whispered, { name: alice, typing: true });
	await sleep(GRACE_MS);
	assert.deepEqual(echoedToAlice, []);

	const leaving = new Promise((resolve) => aliceChannel.leaving(resolve));
	bobEcho.disconnect();
	assert.deepEqual(await leaving, { name: bob });
	aliceEcho.disconnect();
});

test('a presence whisper carries the sender as user_id', async () => {
	const room = `presence-chat-${unique('room')}`;
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceRoom = await subscribed(await pusherClient(await login(alice)), room);
	const bobRoom = await subscribed(await pusherClient(await login(bob)), room);
	const received = nextWithMetadata(bobRoom, 'client-typing');
	aliceRoom.trigger('client-typing', { typing: true });
	const { data, metadata } = await received;
	assert.deepEqual(data, { typing: true });
	assert.equal(metadata.user_id, alice);
});

test('client events over the rate limit (10/s in application.yml) are refused with pusher:error 4301', async () => {
	const room = `presence-chat-${unique('room')}`;
	const alice = unique('alice');
	const bob = unique('bob');
	const alicePusher = await pusherClient(await login(alice));
	const aliceRoom = await subscribed(alicePusher, room);
	const bobRoom = await subscribed(await pusherClient(await login(bob)), room);
	const relayed = [];
	bobRoom.bind('client-burst', (data) => relayed.push(data.n));
	const refused = new Promise((resolve) => alicePusher.connection.bind('error', (e) => {
		if (e.type === 'PusherError') {
			resolve(e.data);
		}
	}));
	for (let n = 0; n < 25; n++) {
		aliceRoom.trigger('client-burst', { n });
	}
	const error = await refused;
	assert.equal(error.code, 4301);
	await sleep(GRACE_MS);
	assert.ok(relayed.length >= 10 && relayed.length < 25, `${relayed.length} of 25 relayed`);
	assert.deepEqual(relayed.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the first ten are relayed, in order');
	assert.equal(alicePusher.connection.state, 'connected', 'a refused client event does not close the connection');
});

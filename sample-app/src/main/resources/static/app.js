// The demo page: laravel-echo (broadcaster "reverb") + pusher-js against this app's realtime server.
(() => {
	'use strict';

	const $ = (id) => document.getElementById(id);
	// ?room=name joins presence-chat-name instead of presence-chat (the e2e tests use their own rooms).
	const room = new URLSearchParams(location.search).get('room') ?? '';
	const roomChannel = room ? `chat-${room}` : 'chat';
	let echo = null;
	let me = null;

	async function post(path, form) {
		return fetch(path, { method: 'POST', body: new URLSearchParams(form) });
	}

	function notice(text) {
		const li = document.createElement('li');
		li.textContent = text;
		$('notices').append(li);
		setTimeout(() => li.remove(), 4000);
	}

	function addMessage(text, from, className) {
		const li = document.createElement('li');
		const who = document.createElement('strong');
		who.textContent = `${from}: `;
		li.append(who, text);
		if (className) {
			li.className = className;
		}
		$('messages').append(li);
		$('messages').scrollTop = $('messages').scrollHeight;
	}

	// --- presence list -------------------------------------------------------------------
	const members = new Map();

	function renderMembers() {
		const list = $('members');
		list.replaceChildren();
		for (const name of [...members.keys()].sort()) {
			const li = document.createElement('li');
			li.dataset.name = name;
			li.textContent = name;
			if (name === me) {
				li.className = 'me';
			}
			else {
				const nudge = document.createElement('button');
				nudge.type = 'button';
				nudge.textContent = 'nudge';
				nudge.title = `Send ${name} a nudge (a server-to-user event)`;
				nudge.onclick = () => post('/nudge', { to: name });
				li.append(nudge);
			}
			list.append(li);
		}
		$('member-count').textContent = String(members.size);
	}

	// --- typing indicator (whispers = client events, relayed to the others only) ----------
	const typing = new Map();
	let lastWhisper = 0;

	function renderTyping() {
		const names = [...typing.keys()];
		$('typing').textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
	}

	function someoneTyping({ name }) {
		clearTimeout(typing.get(name));
		typing.set(name, setTimeout(() => {
			typing.delete(name);
			renderTyping();
		}, 2500));
		renderTyping();
	}

	// --- connecting ----------------------------------------------------------------------
	async function start(name) {
		me = name;
		$('me').textContent = name;
		$('room').textContent = `presence-${roomChannel}`;
		$('login').hidden = true;
		$('chat').hidden = false;
		const config = await (await fetch('/client-config')).json();

		// With realtime.transport=netty the WebSocket endpoint has a port of its own (plain
		// ws: put a TLS proxy in front of it for https pages).
		const wsPort = config.wsPort ?? Number(location.port || (location.protocol === 'https:' ? 443 : 80));
		echo = new Echo.default({
			broadcaster: 'reverb',
			key: config.key,
			wsHost: location.hostname,
			wsPort: wsPort,
			wssPort: wsPort,
			forceTLS: location.protocol === 'https:' && config.wsPort === undefined,
			enabledTransports: ['ws', 'wss'],
			authEndpoint: '/broadcasting/auth',
			userAuthentication: { endpoint: '/broadcasting/user-auth', headers: {} },
		});

		const pusher = echo.connector.pusher;
		pusher.connection.bind('state_change', ({ current }) => {
			$('status').textContent = current;
			$('status').classList.toggle('connected', current === 'connected');
		});

		// Public channel: anyone may listen, no auth request.
		echo.channel('clock').listen('.tick', ({ time }) => {
			$('clock').textContent = new Date(time).toLocaleTimeString();
		});

		// Presence channel: the Authorizer names the member; here/joining/leaving keep the list.
		const chat = echo.join(roomChannel);
		chat.here((users) => {
			members.clear();
			users.forEach((user) => members.set(user.name, user));
			renderMembers();
		})
			.joining((user) => {
				members.set(user.name, user);
				renderMembers();
				notice(`${user.name} joined`);
			})
			.leaving((user) => {
				members.delete(user.name);
				renderMembers();
				notice(`${user.name} left`);
			})
			.listen('.message', ({ user, text }) => {
				addMessage(text, user);
				clearTimeout(typing.get(user));
				typing.delete(user);
				renderTyping();
			})
			.listenForWhisper('typing', someoneTyping)
			.error((error) => notice(`presence channel: ${JSON.stringify(error)}`));

		$('message-input').addEventListener('input', () => {
			if (Date.now() - lastWhisper > 1000) {
				lastWhisper = Date.now();
				chat.whisper('typing', { name: me });
			}
		});

		// Private channel: only this user may join their inbox.
		echo.private(`user-${me}`).listen('.direct', ({ from, text }) => addMessage(text, `${from} (direct)`, 'direct'));

		// User authentication: after signin, the server can reach all of this user's tabs.
		echo.connector.signin();
		pusher.user.bind('nudge', ({ from }) => notice(`${from} nudged you`));
	}

	// --- forms ---------------------------------------------------------------------------
	$('login').addEventListener('submit', async (event) => {
		event.preventDefault();
		const name = $('login-name').value.trim();
		const response = await post('/login', { name });
		if (!response.ok) {
			$('login-error').hidden = false;
			$('login-error').textContent = (await response.json()).error ?? `login failed (${response.status})`;
			return;
		}
		start(name);
	});

	$('send').addEventListener('submit', async (event) => {
		event.preventDefault();
		const input = $('message-input');
		const text = input.value.trim();
		if (!text) {
			return;
		}
		const direct = text.match(/^\/dm\s+(\S+)\s+(.+)$/);
		const response = direct
			? await post('/direct', { to: direct[1], text: direct[2] })
			: await post('/messages', { text, room });
		if (!response.ok) {
			notice(`not sent (${response.status})`);
			return;
		}
		if (direct) {
			addMessage(direct[2], `you → ${direct[1]}`, 'direct');
		}
		input.value = '';
	});

	$('admin-button').addEventListener('click', () => {
		$('admin-result').textContent = 'asking…';
		echo.private('admin')
			.subscribed(() => {
				$('admin-result').textContent = 'joined';
			})
			.error((error) => {
				$('admin-result').className = 'denied';
				$('admin-result').textContent = `denied (status ${error.status})`;
				echo.leaveChannel('private-admin');
			});
	});

	$('logout-button').addEventListener('click', async () => {
		await post('/logout', {});
		location.reload();
	});

	// Already logged in (a second tab, a reload)? Go straight to the chat.
	fetch('/me').then(async (response) => {
		if (response.ok) {
			start((await response.json()).name);
		}
	});
})();

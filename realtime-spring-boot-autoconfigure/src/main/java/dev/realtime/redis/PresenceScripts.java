package dev.realtime.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts behind cluster presence. Each decides atomically whether a user's first
 * connection anywhere joined or last one left, and publishes the
 * {@code pusher_internal:member_added} / {@code member_removed} event itself (in the
 * {@link Envelope} format, with no origin), so every node receives each announcement
 * exactly once and in the order the roster changed.
 * <p>
 * Keys, under prefix {@code p}: {@code p:nodes} (sorted set: node id to the Redis time, in
 * ms, its entries expire); {@code p:node:{node}:presence} (set of the presence channels the
 * node has connections in); {@code p:node:{node}:subs} (hash: channel to the node's
 * subscription count); {@code p:presence:{channel}:members} (hash: user id to user info),
 * {@code :users} (hash: user id to connections on all nodes) and {@code :node:{node}}
 * (hash: user id to connections on that node).
 */
final class PresenceScripts {

	private static final String PRELUDE = """
			local p = ARGV[1]
			local function field(s) return #s .. ':' .. s end
			local function announce(ch, except, name, payload)
			  local message = '1E' .. field('') .. field(except) .. field(name) .. payload
			  redis.call('PUBLISH', p .. ':channel:' .. ch, message)
			end
			local changes = {}
			local function record(kind, ch, user, info)
			  changes[#changes + 1] = kind
			  changes[#changes + 1] = ch
			  changes[#changes + 1] = user
			  changes[#changes + 1] = info
			end
			local function added(ch, user, info, except)
			  announce(ch, except, 'pusher_internal:member_added',
			    '{"user_id":' .. cjson.encode(user) .. ',"user_info":' .. info .. '}')
			  record('+', ch, user, info)
			end
			local function removeMember(ch, user)
			  local membersKey = p .. ':presence:' .. ch .. ':members'
			  local info = redis.call('HGET', membersKey, user)
			  if info then
			    redis.call('HDEL', membersKey, user)
			    announce(ch, '', 'pusher_internal:member_removed', '{"user_id":' .. cjson.encode(user) .. '}')
			    record('-', ch, user, info)
			  end
			end
			local function reply(rest)
			  local out = { tostring(#changes / 4) }
			  for _, v in ipairs(changes) do out[#out + 1] = v end
			  for _, v in ipairs(rest) do out[#out + 1] = v end
			  return out
			end
			local function now()
			  local t = redis.call('TIME')
			  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			end
			local function drop(node)
			  local setKey = p .. ':node:' .. node .. ':presence'
			  for _, ch in ipairs(redis.call('SMEMBERS', setKey)) do
			    local base = p .. ':presence:' .. ch
			    local nodeKey = base .. ':node:' .. node
			    local old = redis.call('HGETALL', nodeKey)
			    for i = 1, #old, 2 do
			      local t = redis.call('HINCRBY', base .. ':users', old[i], -tonumber(old[i + 1]))
			      if t <= 0 then
			        redis.call('HDEL', base .. ':users', old[i])
			        removeMember(ch, old[i])
			      end
			    end
			    redis.call('DEL', nodeKey)
			  end
			  redis.call('DEL', setKey, p .. ':node:' .. node .. ':subs')
			  redis.call('ZREM', p .. ':nodes', node)
			end
			""";

	/*
	 * The scripts that change rosters reply with the changes they announced, then their own
	 * result: the number of changes, then kind ("+" or "-"), channel, user id and user info
	 * for each, then the rest (see PresenceReply).
	 */

	/**
	 * ARGV: prefix, channel, node, user, info, socket id, most members. Rest: the roster,
	 * flat; empty if the user is new and the channel has the most members already (then
	 * nothing is counted or announced).
	 */
	static final RedisScript JOIN = new RedisScript(PRELUDE + """
			local ch, node, user, info = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
			local base = p .. ':presence:' .. ch
			if redis.call('HEXISTS', base .. ':members', user) == 0
			    and redis.call('HLEN', base .. ':members') >= tonumber(ARGV[7]) then
			  return reply({})
			end
			redis.call('SADD', p .. ':node:' .. node .. ':presence', ch)
			redis.call('HINCRBY', base .. ':node:' .. node, user, 1)
			redis.call('HINCRBY', base .. ':users', user, 1)
			if redis.call('HSETNX', base .. ':members', user, info) == 1 then
			  added(ch, user, info, ARGV[6])
			end
			return reply(redis.call('HGETALL', base .. ':members'))
			""", ScriptOutputType.MULTI);

	/** ARGV: prefix, channel, node, user. */
	static final RedisScript LEAVE = new RedisScript(PRELUDE + """
			local ch, node, user = ARGV[2], ARGV[3], ARGV[4]
			local base = p .. ':presence:' .. ch
			local nodeKey = base .. ':node:' .. node
			local n = redis.call('HINCRBY', nodeKey, user, -1)
			if n <= 0 then redis.call('HDEL', nodeKey, user) end
			if redis.call('EXISTS', nodeKey) == 0 then
			  redis.call('SREM', p .. ':node:' .. node .. ':presence', ch)
			end
			if n < 0 then return reply({}) end
			local t = redis.call('HINCRBY', base .. ':users', user, -1)
			if t <= 0 then
			  redis.call('HDEL', base .. ':users', user)
			  removeMember(ch, user)
			end
			return reply({})
			""", ScriptOutputType.MULTI);

	/**
	 * Replace this node's entries of one channel with the given ones (idempotent), announcing
	 * whoever this adds or removes. ARGV: prefix, channel, node, then user, connections,
	 * info for each local member.
	 */
	static final RedisScript RESYNC = new RedisScript(PRELUDE + """
			local ch, node = ARGV[2], ARGV[3]
			local base = p .. ':presence:' .. ch
			local nodeKey = base .. ':node:' .. node
			local usersKey, membersKey = base .. ':users', base .. ':members'
			local old = redis.call('HGETALL', nodeKey)
			local touched = {}
			for i = 1, #old, 2 do
			  redis.call('HINCRBY', usersKey, old[i], -tonumber(old[i + 1]))
			  touched[old[i]] = false
			end
			redis.call('DEL', nodeKey)
			for i = 4, #ARGV, 3 do
			  redis.call('HSET', nodeKey, ARGV[i], ARGV[i + 1])
			  redis.call('HINCRBY', usersKey, ARGV[i], tonumber(ARGV[i + 1]))
			  touched[ARGV[i]] = ARGV[i + 2]
			end
			for user, info in pairs(touched) do
			  local t = tonumber(redis.call('HGET', usersKey, user) or '0')
			  if t <= 0 then
			    redis.call('HDEL', usersKey, user)
			    removeMember(ch, user)
			  elseif info and redis.call('HSETNX', membersKey, user, info) == 1 then
			    added(ch, user, info, '')
			  end
			end
			if #ARGV >= 4 then
			  redis.call('SADD', p .. ':node:' .. node .. ':presence', ch)
			else
			  redis.call('SREM', p .. ':node:' .. node .. ':presence', ch)
			end
			return reply({})
			""", ScriptOutputType.MULTI);

	/** ARGV: prefix, node, ttl in ms. Returns 1 if the node was not registered (new, reaped, or Redis lost it). */
	static final RedisScript HEARTBEAT = new RedisScript(PRELUDE + """
			return redis.call('ZADD', p .. ':nodes', now() + tonumber(ARGV[3]), ARGV[2])
			""", ScriptOutputType.INTEGER);

	/** ARGV: prefix. Drops every node whose entries expired. Rest: their ids. */
	static final RedisScript REAP = new RedisScript(PRELUDE + """
			local dead = redis.call('ZRANGEBYSCORE', p .. ':nodes', '-inf', now())
			for _, node in ipairs(dead) do drop(node) end
			return reply(dead)
			""", ScriptOutputType.MULTI);

	/** ARGV: prefix, node. Drops one node's entries (a clean shutdown). */
	static final RedisScript DROP_NODE = new RedisScript(PRELUDE + """
			drop(ARGV[2])
			return reply({})
			""", ScriptOutputType.MULTI);

	/** ARGV: prefix, channel, node to leave out. Sums the subscription counts of live nodes. */
	static final RedisScript COUNT = new RedisScript(PRELUDE + """
			local sum = 0
			for _, node in ipairs(redis.call('ZRANGEBYSCORE', p .. ':nodes', '(' .. now(), '+inf')) do
			  if node ~= ARGV[3] then
			    sum = sum + tonumber(redis.call('HGET', p .. ':node:' .. node .. ':subs', ARGV[2]) or '0')
			  end
			end
			return sum
			""", ScriptOutputType.INTEGER);

	/** ARGV: prefix, node to leave out. Sums every channel's subscription counts over live nodes; flat. */
	static final RedisScript OCCUPIED = new RedisScript(PRELUDE + """
			local sums, names = {}, {}
			for _, node in ipairs(redis.call('ZRANGEBYSCORE', p .. ':nodes', '(' .. now(), '+inf')) do
			  if node ~= ARGV[2] then
			    local counts = redis.call('HGETALL', p .. ':node:' .. node .. ':subs')
			    for i = 1, #counts, 2 do
			      if sums[counts[i]] == nil then
			        sums[counts[i]] = 0
			        names[#names + 1] = counts[i]
			      end
			      sums[counts[i]] = sums[counts[i]] + tonumber(counts[i + 1])
			    end
			  end
			end
			local out = {}
			for _, name in ipairs(names) do
			  out[#out + 1] = name
			  out[#out + 1] = tostring(sums[name])
			end
			return out
			""", ScriptOutputType.MULTI);

	private PresenceScripts() {
	}

}

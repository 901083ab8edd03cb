package dev.realtime.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts behind cluster presence, each touching one slot (see {@link RedisKeys}),
 * so they run on Redis Cluster as on a single Redis.
 * <p>
 * The channel scripts decide atomically whether a user's first connection anywhere joined
 * or last one left, and publish the {@code pusher_internal:member_added} /
 * {@code member_removed} event themselves (in the {@link Envelope} format, with no origin,
 * on the channel's pub/sub channel: {@code PUBLISH}, or {@code SPUBLISH} where pub/sub is
 * sharded), so every node receives each announcement exactly once and in the order the
 * roster changed. Their key is the channel's {@link RedisKeys#presence presence base};
 * under it {@code :members} (hash: user id to user info), {@code :users} (hash: user id to
 * connections on all nodes) and {@code :node:{node}} (hash: user id to connections on that
 * node). ARGV starts with the pub/sub channel and the channel name.
 * <p>
 * The registry scripts keep the {@link RedisKeys#nodes() live nodes} and the
 * {@link RedisKeys#reaping() nodes being reaped}. Reaping a dead node spans slots (its
 * channels are anywhere), so it is not one script: a reaper claims the node for a lease,
 * drops its entries channel by channel, then lets the claim go; a reaper that dies midway
 * leaves the claim to lapse and another finishes. A node under a claim cannot register
 * again until the claim is gone, so its write-back comes after the drop, not before.
 */
final class PresenceScripts {

	/** For a single Redis or Sentinel: plain pub/sub. */
	static final PresenceScripts PLAIN = new PresenceScripts("PUBLISH");

	/** For Redis Cluster: sharded pub/sub, which stays in the channel's shard. */
	static final PresenceScripts SHARDED = new PresenceScripts("SPUBLISH");

	private static final String NOW = """
			local function now()
			  local t = redis.call('TIME')
			  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			end
			""";

	private static final String CHANNEL_PRELUDE = """
			local base, pubsub, ch = KEYS[1], ARGV[1], ARGV[2]
			local membersKey, usersKey = base .. ':members', base .. ':users'
			local function field(s) return #s .. ':' .. s end
			local function announce(except, name, payload)
			  redis.call('%s', pubsub, '1E' .. field('') .. field(except) .. field(name) .. payload)
			end
			local changes = {}
			local function record(kind, user, info)
			  changes[#changes + 1] = kind
			  changes[#changes + 1] = ch
			  changes[#changes + 1] = user
			  changes[#changes + 1] = info
			end
			local function added(user, info, except)
			  announce(except, 'pusher_internal:member_added',
			    '{"user_id":' .. cjson.encode(user) .. ',"user_info":' .. info .. '}')
			  record('+', user, info)
			end
			local function removeMember(user)
			  local info = redis.call('HGET', membersKey, user)
			  if info then
			    redis.call('HDEL', membersKey, user)
			    announce('', 'pusher_internal:member_removed', '{"user_id":' .. cjson.encode(user) .. '}')
			    record('-', user, info)
			  end
			end
			local function reply(rest)
			  local out = { tostring(#changes / 4) }
			  for _, v in ipairs(changes) do out[#out + 1] = v end
			  for _, v in ipairs(rest) do out[#out + 1] = v end
			  return out
			end
			""";

	/*
	 * The channel scripts reply with the changes they announced, then their own result: the
	 * number of changes, then kind ("+" or "-"), channel, user id and user info for each,
	 * then the rest (see PresenceReply).
	 */

	/**
	 * ARGV: pub/sub channel, channel, node, user, info, socket id, most members. Rest: the
	 * roster, flat; empty if the user is new and the channel has the most members already
	 * (then nothing is counted or announced).
	 */
	final RedisScript join;

	/** ARGV: pub/sub channel, channel, node, user. */
	final RedisScript leave;

	/**
	 * Replace one node's entries of the channel with the given ones (idempotent),
	 * announcing whoever this adds or removes. ARGV: pub/sub channel, channel, node, then
	 * user, connections, info for each of the node's members.
	 */
	final RedisScript resync;

	/** Remove one node's entries of the channel (it died or left). ARGV: pub/sub channel, channel, node. */
	final RedisScript dropNode;

	private PresenceScripts(String publish) {
		String prelude = CHANNEL_PRELUDE.formatted(publish);
		this.join = new RedisScript(prelude + """
				local node, user, info = ARGV[3], ARGV[4], ARGV[5]
				if redis.call('HEXISTS', membersKey, user) == 0
				    and redis.call('HLEN', membersKey) >= tonumber(ARGV[7]) then
				  return reply({})
				end
				redis.call('HINCRBY', base .. ':node:' .. node, user, 1)
				redis.call('HINCRBY', usersKey, user, 1)
				if redis.call('HSETNX', membersKey, user, info) == 1 then
				  added(user, info, ARGV[6])
				end
				return reply(redis.call('HGETALL', membersKey))
				""", ScriptOutputType.MULTI);
		this.leave = new RedisScript(prelude + """
				local node, user = ARGV[3], ARGV[4]
				local nodeKey = base .. ':node:' .. node
				local n = redis.call('HINCRBY', nodeKey, user, -1)
				if n <= 0 then redis.call('HDEL', nodeKey, user) end
				if n < 0 then return reply({}) end
				local t = redis.call('HINCRBY', usersKey, user, -1)
				if t <= 0 then
				  redis.call('HDEL', usersKey, user)
				  removeMember(user)
				end
				return reply({})
				""", ScriptOutputType.MULTI);
		this.resync = new RedisScript(prelude + """
				local nodeKey = base .. ':node:' .. ARGV[3]
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
				    removeMember(user)
				  elseif info and redis.call('HSETNX', membersKey, user, info) == 1 then
				    added(user, info, '')
				  end
				end
				return reply({})
				""", ScriptOutputType.MULTI);
		this.dropNode = new RedisScript(prelude + """
				local nodeKey = base .. ':node:' .. ARGV[3]
				local old = redis.call('HGETALL', nodeKey)
				for i = 1, #old, 2 do
				  local t = redis.call('HINCRBY', usersKey, old[i], -tonumber(old[i + 1]))
				  if t <= 0 then
				    redis.call('HDEL', usersKey, old[i])
				    removeMember(old[i])
				  end
				end
				redis.call('DEL', nodeKey)
				return reply({})
				""", ScriptOutputType.MULTI);
	}

	/*
	 * The registry scripts: KEYS are the live nodes and the nodes being reaped.
	 */

	/**
	 * ARGV: node, ttl in ms. Returns 1 if the node was not registered (new, reaped, or Redis
	 * lost it), 0 if it was, and 2 (registering nothing) while a reaper drops its entries.
	 */
	static final RedisScript HEARTBEAT = new RedisScript(NOW + """
			if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 2 end
			return redis.call('ZADD', KEYS[1], now() + tonumber(ARGV[2]), ARGV[1])
			""", ScriptOutputType.INTEGER);

	/**
	 * ARGV: lease in ms. Claims every node whose registration expired, and every claim that
	 * lapsed, for the lease. Returns their ids.
	 */
	static final RedisScript CLAIM_DEAD = new RedisScript(NOW + """
			local t = now()
			local claimed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t)
			for _, node in ipairs(claimed) do redis.call('ZREM', KEYS[1], node) end
			for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', t)) do
			  claimed[#claimed + 1] = node
			end
			for _, node in ipairs(claimed) do redis.call('ZADD', KEYS[2], t + tonumber(ARGV[1]), node) end
			return claimed
			""", ScriptOutputType.MULTI);

	/** ARGV: node, lease in ms. A node leaving cleanly claims itself, as a reaper would. */
	static final RedisScript RETIRE = new RedisScript(NOW + """
			redis.call('ZREM', KEYS[1], ARGV[1])
			redis.call('ZADD', KEYS[2], now() + tonumber(ARGV[2]), ARGV[1])
			return 1
			""", ScriptOutputType.INTEGER);

	/** ARGV: node to leave out. Returns the ids of the other live nodes. */
	static final RedisScript LIVE_NODES = new RedisScript(NOW + """
			local out = {}
			for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now(), '+inf')) do
			  if node ~= ARGV[1] then out[#out + 1] = node end
			end
			return out
			""", ScriptOutputType.MULTI);

}

/**
 * Many nodes as one server, through a shared Redis (a single server, Sentinel, or Redis
 * Cluster, with every key laid out by {@link dev.realtime.redis.RedisKeys}): the {@link dev.realtime.redis.RedisBroadcaster}
 * (events over pub/sub, subscribed per channel that local clients hold), the
 * {@link dev.realtime.redis.RedisPresence} (cluster-wide presence rosters with dead-node
 * expiry) and {@link dev.realtime.redis.RedisChannelStats} (channel counts for the whole
 * cluster), all over the connections of one {@link dev.realtime.redis.RedisConnections}.
 */
@NullMarked
package dev.realtime.redis;

import org.jspecify.annotations.NullMarked;

package dev.realtime.autoconfigure.redis;

import java.util.List;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link RedisUris}: the Lettuce address read from each kind of Spring Data configuration.
 */
class RedisUrisTests {

	@Test
	void standaloneKeepsHostPortDatabaseAndCredentials() {
		RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration("redis.example", 6380);
		standalone.setDatabase(3);
		standalone.setUsername("app");
		standalone.setPassword("secret");
		RedisURI uri = RedisUris.from(new LettuceConnectionFactory(standalone,
				LettuceClientConfiguration.builder().useSsl().build()));
		assertThat(uri.getHost()).isEqualTo("redis.example");
		assertThat(uri.getPort()).isEqualTo(6380);
		assertThat(uri.getDatabase()).isEqualTo(3);
		assertThat(credentials(uri).getUsername()).isEqualTo("app");
		assertThat(credentials(uri).getPassword()).isEqualTo("secret".toCharArray());
		assertThat(uri.isSsl()).isTrue();
		assertThat(uri.getSentinels()).isEmpty();
	}

	@Test
	void sentinelNamesEverySentinelThePrimaryAndBothSetsOfCredentials() {
		RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration().master("mymaster")
			.sentinel("s1.example", 26379)
			.sentinel("s2.example", 26380);
		sentinel.setDatabase(2);
		sentinel.setPassword("data-secret");
		sentinel.setSentinelPassword(RedisPassword.of("sentinel-secret"));
		RedisURI uri = RedisUris.from(new LettuceConnectionFactory(sentinel));
		assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
		assertThat(uri.getDatabase()).isEqualTo(2);
		assertThat(credentials(uri).getPassword()).isEqualTo("data-secret".toCharArray());
		assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
			.containsExactlyInAnyOrder(tuple("s1.example", 26379),
					tuple("s2.example", 26380));
		assertThat(uri.getSentinels()).allSatisfy(
				(one) -> assertThat(credentials(one).getPassword()).isEqualTo("sentinel-secret".toCharArray()));
	}

	@Test
	void sentinelsWithoutAPasswordOfTheirOwnGetNone() {
		RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration().master("mymaster")
			.sentinel("s1.example", 26379);
		sentinel.setPassword("data-secret");
		RedisURI uri = RedisUris.from(new LettuceConnectionFactory(sentinel));
		assertThat(uri.getSentinels()).singleElement().satisfies((one) -> assertThat(credentials(one).hasPassword()).isFalse());
	}

	@Test
	void clusterNodesCarryTheDataNodesCredentials() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				List.of("10.0.0.1:7000", "10.0.0.2:7001"));
		configuration.setUsername("app");
		configuration.setPassword("cluster-secret");
		List<RedisURI> nodes = RedisUris.clusterNodes(new LettuceConnectionFactory(configuration));
		assertThat(nodes).extracting(RedisURI::getHost, RedisURI::getPort)
			.containsExactly(tuple("10.0.0.1", 7000), tuple("10.0.0.2", 7001));
		assertThat(nodes).allSatisfy((node) -> {
			RedisCredentials credentials = credentials(node);
			assertThat(credentials.getUsername()).isEqualTo("app");
			assertThat(new String(credentials.getPassword())).isEqualTo("cluster-secret");
		});
	}

	@Test
	void aClusterHasNoSingleAddress() {
		LettuceConnectionFactory cluster = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of("127.0.0.1:7000")));
		assertThatIllegalStateException().isThrownBy(() -> RedisUris.from(cluster))
			.withMessageContaining("clusterNodes");
	}

	private static RedisCredentials credentials(RedisURI uri) {
		return uri.getCredentialsProvider().resolveCredentials().block();
	}

}

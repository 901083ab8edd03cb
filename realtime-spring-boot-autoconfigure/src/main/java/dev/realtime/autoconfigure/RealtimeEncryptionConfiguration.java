package dev.realtime.autoconfigure;

import dev.realtime.pusher.EventEncryptor;
import dev.realtime.pusher.Realtime;
import dev.realtime.pusher.SecretBoxEncryptor;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Server-side encryption of events to {@code private-encrypted-} channels: an
 * {@link EventEncryptor} for the {@link Realtime} facade when
 * {@code realtime.encryption-master-key} is set and BouncyCastle (which provides
 * XSalsa20-Poly1305) is on the class path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.bouncycastle.crypto.engines.XSalsa20Engine")
@Conditional(RealtimeEncryptionConfiguration.MasterKeyCondition.class)
final class RealtimeEncryptionConfiguration {

	private static final String MASTER_KEY = "realtime.encryption-master-key";

	@Bean
	@ConditionalOnMissingBean
	EventEncryptor realtimeEventEncryptor(RealtimeProperties properties) {
		byte[] masterKey = RealtimeAuthConfiguration.decodeMasterKey(properties.getEncryptionMasterKey());
		if (masterKey == null) {
			throw new IllegalStateException(MASTER_KEY + " is blank");
		}
		return new SecretBoxEncryptor(masterKey);
	}

	/**
	 * Matches when the master key has text: a blank key (an empty environment variable)
	 * means no encrypted channels, as for the auth endpoint.
	 */
	static final class MasterKeyCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty(MASTER_KEY))
					? ConditionOutcome.match(MASTER_KEY + " is set") : ConditionOutcome.noMatch(MASTER_KEY + " is not set");
		}

	}

}

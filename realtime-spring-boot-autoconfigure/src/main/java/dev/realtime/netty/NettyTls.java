package dev.realtime.netty;

import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * TLS of the Netty endpoint ({@code wss://}) from a Spring Boot SSL bundle. The context
 * can be replaced while the server runs (when the bundle's certificate is reloaded): new
 * connections use the new one, open connections keep the session they negotiated.
 */
public final class NettyTls {

	private volatile SslContext context;

	/**
	 * TLS with the bundle's key, certificate and options.
	 * @param bundle the SSL bundle
	 */
	public NettyTls(SslBundle bundle) {
		this.context = context(bundle);
	}

	/**
	 * Use a bundle's new content for the connections accepted from now on.
	 * @param bundle the updated bundle
	 */
	public void update(SslBundle bundle) {
		this.context = context(bundle);
	}

	SslHandler newHandler(ByteBufAllocator allocator) {
		return this.context.newHandler(allocator);
	}

	private static SslContext context(SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
			.clientAuth(ClientAuth.NONE);
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			builder.ciphers(List.of(options.getCiphers()));
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot build the TLS context of the Netty endpoint from the SSL bundle", ex);
		}
	}

}

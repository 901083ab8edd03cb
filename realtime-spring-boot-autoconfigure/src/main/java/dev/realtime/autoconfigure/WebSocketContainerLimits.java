package dev.realtime.autoconfigure;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import org.springframework.web.context.ServletContextAware;

/**
 * Raises the servlet container's WebSocket text buffer to the largest message clients may
 * send (Tomcat's default is 8 KB, smaller than Pusher's 10 KB limit), with room for the
 * protocol's own check to answer a slightly larger message with an error instead of the
 * container closing the connection (1009). Never lowers a larger buffer set elsewhere.
 * <p>
 * Unlike Spring's {@code ServletServerContainerFactoryBean}, it does nothing (instead of
 * failing) when the container has no WebSocket support.
 */
final class WebSocketContainerLimits implements ServletContextAware {

	private final int maxTextMessageSize;

	WebSocketContainerLimits(int maxMessageSize) {
		// Twice the limit: messages up to it get a pusher:error, beyond it the container closes.
		this.maxTextMessageSize = (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageSize);
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container
				&& container.getDefaultMaxTextMessageBufferSize() < this.maxTextMessageSize) {
			container.setDefaultMaxTextMessageBufferSize(this.maxTextMessageSize);
		}
	}

}

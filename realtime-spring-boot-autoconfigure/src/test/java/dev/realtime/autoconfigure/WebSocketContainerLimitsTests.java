package dev.realtime.autoconfigure;

import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockServletContext;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link WebSocketContainerLimits}.
 */
class WebSocketContainerLimitsTests {

	@Test
	void raisesTheTextBufferToTwiceTheMessageLimit() {
		ServerContainer container = mock(ServerContainer.class);
		given(container.getDefaultMaxTextMessageBufferSize()).willReturn(8192);
		MockServletContext servletContext = new MockServletContext();
		servletContext.setAttribute(ServerContainer.class.getName(), container);
		new WebSocketContainerLimits(10 * 1024).setServletContext(servletContext);
		then(container).should().setDefaultMaxTextMessageBufferSize(20 * 1024);
	}

	@Test
	void neverLowersALargerBuffer() {
		ServerContainer container = mock(ServerContainer.class);
		given(container.getDefaultMaxTextMessageBufferSize()).willReturn(1024 * 1024);
		MockServletContext servletContext = new MockServletContext();
		servletContext.setAttribute(ServerContainer.class.getName(), container);
		new WebSocketContainerLimits(10 * 1024).setServletContext(servletContext);
		then(container).should(never()).setDefaultMaxTextMessageBufferSize(org.mockito.ArgumentMatchers.anyInt());
	}

	@Test
	void doesNothingWithoutAWebSocketContainer() {
		new WebSocketContainerLimits(10 * 1024).setServletContext(new MockServletContext());
	}

}

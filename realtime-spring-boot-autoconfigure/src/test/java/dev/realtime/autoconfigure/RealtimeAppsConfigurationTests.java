package dev.realtime.autoconfigure;

import java.net.URI;
import java.util.List;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.AppSettings;
import dev.realtime.pusher.Realtime;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the apps-as-tenants wiring ({@link RealtimeAppsConfiguration}) and the per-app
 * settings of {@code realtime.apps}.
 */
class RealtimeAppsConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	@Test
	void bindsEachAppsSettings() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=a", "realtime.apps[0].key=ka", "realtime.apps[0].secret=sa",
					"realtime.apps[1].id=b", "realtime.apps[1].key=kb", "realtime.apps[1].secret=sb",
					"realtime.apps[1].enabled=false", "realtime.apps[1].client-events-enabled=false",
					"realtime.apps[1].presence-max-members=7", "realtime.apps[1].presence-max-user-info-size=2KB",
					"realtime.apps[1].max-payload-size=20KB", "realtime.apps[1].max-connections=30",
					"realtime.apps[1].webhooks[0]=http://hooks.example/b")
			.run((context) -> {
				AppRegistry apps = context.getBean(AppRegistry.class);
				assertThat(apps.findById("a").settings()).isEqualTo(AppSettings.DEFAULTS);
				assertThat(apps.findById("b").settings()).isEqualTo(new AppSettings(false, false, 7, 2048, 20480, 30,
						List.of(URI.create("http://hooks.example/b"))));
			});
	}

	@Test
	void theDefaultAppsHubIsTheHubBeanWithItsSettings() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=a", "realtime.apps[0].key=ka", "realtime.apps[0].secret=sa",
					"realtime.apps[0].presence-max-members=3")
			.run((context) -> {
				AppHubs hubs = context.getBean(AppHubs.class);
				assertThat(hubs.defaultHub().hub()).isSameAs(context.getBean(Hub.class));
				assertThat(hubs.defaultHub().realtime()).isSameAs(context.getBean(Realtime.class));
				assertThat(context.getBean(HubConfig.class).maxPresenceMembers()).isEqualTo(3);
			});
	}

	@Test
	void anotherAppGetsAHubOfItsOwnWithItsSettingsWhenFirstNeeded() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=a", "realtime.apps[0].key=ka", "realtime.apps[0].secret=sa",
					"realtime.apps[1].id=b", "realtime.apps[1].key=kb", "realtime.apps[1].secret=sb",
					"realtime.apps[1].presence-max-members=2")
			.run((context) -> {
				AppHubs hubs = context.getBean(AppHubs.class);
				assertThat(hubs.find("b")).isNull();
				AppHub b = hubs.forApp(context.getBean(AppRegistry.class).findById("b"));
				assertThat(b.hub()).isNotSameAs(context.getBean(Hub.class));
				assertThat(b.hub().config().maxPresenceMembers()).isEqualTo(2);
				assertThat(hubs.find("b")).isSameAs(b);
			});
	}

	@Test
	void buildsNoMoreHubsThanMaxApps() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=a", "realtime.apps[0].key=ka", "realtime.apps[0].secret=sa",
					"realtime.apps[1].id=b", "realtime.apps[1].key=kb", "realtime.apps[1].secret=sb",
					"realtime.apps[2].id=c", "realtime.apps[2].key=kc", "realtime.apps[2].secret=sc",
					"realtime.app-hubs.max-apps=1")
			.run((context) -> {
				AppHubs hubs = context.getBean(AppHubs.class);
				AppRegistry apps = context.getBean(AppRegistry.class);
				assertThat(hubs.forApp(apps.findById("b"))).isNotNull();
				assertThat(hubs.forApp(apps.findById("c"))).isNull();
				assertThat(hubs.forApp(apps.findById("a"))).isSameAs(hubs.defaultHub());
			});
	}

	@Test
	void refreshKeepsTheHubsOfAppsInUseAndClosesThoseOfIdleDisabledAndRemovedApps() {
		this.contextRunner.withUserConfiguration(UserApps.class)
			.withPropertyValues("realtime.app-hubs.refresh-interval=0s")
			.run((context) -> {
				UserApps apps = context.getBean(UserApps.class);
				AppHubs hubs = context.getBean(AppHubs.class);
				AppHub idle = hubs.forApp(UserApps.B);
				hubs.refresh();
				assertThat(idle.hub().isClosed()).isTrue();
				AppHub used = hubs.forApp(UserApps.B);
				used.hub().add(UserApps.conn());
				hubs.refresh();
				assertThat(hubs.find("b")).isSameAs(used);
				apps.b = new App("b", "kb", "sb", new AppSettings(false, null, null, null, null, null, List.of()));
				hubs.refresh();
				assertThat(used.hub().isClosed()).isTrue();
				AppHub again = hubs.forApp(UserApps.B);
				again.hub().add(UserApps.conn());
				apps.b = null;
				hubs.refresh();
				assertThat(again.hub().isClosed()).isTrue();
				assertThat(hubs.find("b")).isNull();
			});
	}

	@Test
	void aUserAppRegistryWins() {
		this.contextRunner.withUserConfiguration(UserApps.class).run((context) -> {
			assertThat(context.getBean(AppRegistry.class)).isSameAs(context.getBean(UserApps.class).registry);
			assertThat(context.getBean(AppHubs.class).defaultHub().app().id()).isEqualTo("a");
			assertThat(context.getBean(Realtime.class).app("b")).isNotNull();
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(Realtime.class).app("zzz"));
		});
	}

	/** A user's registry whose app b can change, as a database's would. */
	@Configuration(proxyBeanMethods = false)
	static class UserApps {

		static final App A = new App("a", "ka", "sa");

		static final App B = new App("b", "kb", "sb");

		volatile @Nullable App b = B;

		final AppRegistry registry = new AppRegistry() {

			@Override
			public @Nullable App findByKey(String key) {
				return key.equals("ka") ? A : (key.equals("kb") ? UserApps.this.b : null);
			}

			@Override
			public @Nullable App findById(String id) {
				return id.equals("a") ? A : (id.equals("b") ? UserApps.this.b : null);
			}

			@Override
			public App defaultApp() {
				return A;
			}

		};

		@Bean
		AppRegistry appRegistry() {
			return this.registry;
		}

		static Conn conn() {
			return new Conn() {

				@Override
				public void sendAll(List<Frame> frames) {
				}

				@Override
				public void close(CloseReason reason) {
				}

			};
		}

	}

}

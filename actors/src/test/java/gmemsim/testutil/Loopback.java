package gmemsim.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback helpers for tests that form clusters of ActorSystems in one JVM. */
public final class Loopback {
  private Loopback() {}

  /** Stops the systems a test started, waiting for each (a bounded time). */
  public static void terminate(java.util.List<? extends akka.actor.typed.ActorSystem<?>> systems) throws Exception {
    for (akka.actor.typed.ActorSystem<?> s : systems) {
      s.terminate();
      s.getWhenTerminated().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /**
   * Two swarm worker nodes (role cpu) joining a coordinator on a free loopback port, added to
   * {@code into}; returns the coordinator's config (every role, the seed node).
   */
  public static com.typesafe.config.Config swarmOfThree(java.util.List<akka.actor.typed.ActorSystem<Void>> into)
      throws Exception {
    int port = freePort();
    String seed = "127.0.0.1:" + port;
    com.typesafe.config.Config empty = com.typesafe.config.ConfigFactory.empty();
    for (int i = 0; i < 2; i++) {
      into.add(gmemsim.runtime.akka.AkkaHunt.startWorker(
          gmemsim.runtime.akka.AkkaHunt.nodeConfig("127.0.0.1", 0, java.util.List.of("cpu"), java.util.List.of(seed), empty)));
    }
    return gmemsim.runtime.akka.AkkaHunt.nodeConfig("127.0.0.1", port, gmemsim.runtime.akka.AkkaHunt.ALL_ROLES,
        java.util.List.of(seed), empty);
  }

  /** A port free on 127.0.0.1 right now (the seed node's: every other node joins it). */
  public static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }
}

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

  /** A port free on 127.0.0.1 right now (the seed node's: every other node joins it). */
  public static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }
}

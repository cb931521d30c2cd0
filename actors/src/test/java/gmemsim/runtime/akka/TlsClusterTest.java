package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over tls-tcp with mutual authentication, with keys TlsKeys makes: two nodes whose
 * certificates one CA signed form a cluster on loopback; a node whose certificate another CA
 * signed never becomes a member.
 */
class TlsClusterTest {
  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    gmemsim.testutil.Loopback.terminate(systems);
  }

  private ActorSystem<Void> node(int port, String seed, Path tls) {
    Config c = AkkaHunt.nodeConfig("127.0.0.1", port, List.of("cpu"), List.of(seed), ConfigFactory.parseFile(tls.toFile()));
    ActorSystem<Void> s = AkkaHunt.startWorker(c);
    systems.add(s);
    return s;
  }

  private static Set<String> up(ActorSystem<Void> s) {
    return StreamSupport.stream(Cluster.get(s).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(m -> m.address().toString())
        .collect(Collectors.toSet());
  }

  @Test
  void nodesOfOneCaFormAClusterAndAForeignCertificateIsRefused(@TempDir Path dir) throws Exception {
    Path ours = TlsKeys.generate(dir.resolve("ours"), "gmemsim", null);
    Path foreign = TlsKeys.generate(dir.resolve("foreign"), "intruder", null);
    int port = gmemsim.testutil.Loopback.freePort();
    String seed = "127.0.0.1:" + port;
    ActorSystem<Void> first = node(port, seed, ours);
    ActorSystem<Void> second = node(0, seed, ours);
    ActorSystem<Void> intruder = node(0, seed, foreign);
    assertEquals("tls-tcp", first.settings().config().getString("akka.remote.artery.transport"));

    String secondAddr = Cluster.get(second).selfMember().address().toString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (System.nanoTime() < deadline && !up(first).contains(secondAddr)) Thread.sleep(100);
    assertTrue(up(first).contains(secondAddr), "the second node joined over TLS: " + up(first));

    // The intruder keeps trying to join the seed; its handshakes fail both ways (neither side trusts the other's CA).
    Thread.sleep(6000);
    String intruderAddr = Cluster.get(intruder).selfMember().address().toString();
    Set<String> members = StreamSupport.stream(Cluster.get(first).state().getMembers().spliterator(), false)
        .map(m -> m.address().toString()).collect(Collectors.toSet());
    assertEquals(2, members.size(), "only the two nodes of our CA are members: " + members);
    assertTrue(!members.contains(intruderAddr), intruderAddr + " must not be a member");
    assertTrue(up(intruder).isEmpty(), "the intruder sees no cluster: " + up(intruder));
  }
}

package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.SerializationExtension;
import gmemsim.model.Msg;
import gmemsim.model.thread.ThreadProtocol;
import gmemsim.oracle.Violation;
import gmemsim.runtime.akka.AkkaProtocol.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every message that may cross a node goes through our Kryo serializer and comes back equal. */
class KryoWireTest {
  static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("gmemsim", AkkaHunt.nodeConfig("127.0.0.1", 0, AkkaHunt.ALL_ROLES, List.of(),
        com.typesafe.config.ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static List<Msg> modelSamples() {
    return List.of(
        new ThreadProtocol.Ret(-11, 42),
        new gmemsim.model.prim.Step(3, new long[] {0x100c2a, 1}, new long[] {0, 7}, 12, true, -1));
  }

  /** Every record of our code that is a model message or a wire message, found in the compiled classes. */
  static List<Class<?>> messageClasses() throws Exception {
    java.nio.file.Path root = java.nio.file.Path.of(Msg.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> out = new ArrayList<>();
    try (var files = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, KryoWireTest.class.getClassLoader());
        if (c.isRecord() && (Msg.class.isAssignableFrom(c) || WireMessage.class.isAssignableFrom(c))) out.add(c);
      }
    }
    return out;
  }

  @Test
  void everyMessageThatMayCrossANodeHasAnIdPinnedInTheGoldenFile() throws Exception {
    var pinned = new java.util.HashSet<>(WireRegistry.ids().values());
    List<String> missing = messageClasses().stream().filter(c -> !pinned.contains(c)).map(Class::getName).toList();
    int next = WireRegistry.ids().keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    assertTrue(missing.isEmpty(), "not in " + WireRegistry.GOLDEN + " (append them, from id " + next + "): " + missing);
    // Kryo uses exactly the pinned ids, whatever the order of registration.
    com.esotericsoftware.kryo.Kryo k = new KryoSerializer(null).newKryo();
    WireRegistry.ids().forEach((id, type) -> assertEquals((int) id, k.getRegistration(type).getId(), type.getName()));
    long models = WireRegistry.ids().values().stream().filter(Msg.class::isAssignableFrom).count();
    assertEquals(models, modelSamples().size(), "a model message has no sample here");
  }

  /** The ids of a few messages, as first published: a renumbering would break mixed-version clusters. */
  @Test
  void publishedIdsDoNotMove() {
    assertEquals(AkkaProtocol.Deliver.class, WireRegistry.ids().get(110));
    assertEquals(ThreadProtocol.Ret.class, WireRegistry.ids().get(200));
    assertEquals(Violation.class, WireRegistry.ids().get(300));
    assertEquals(gmemsim.runtime.swarm.SwarmProtocol.Join.class, WireRegistry.ids().get(400));
  }

  @Test
  void everyWireMessageRoundTrips() {
    SerializationTestKit st = new SerializationTestKit(kit.system());
    TestProbe<Object> probe = kit.createTestProbe();
    @SuppressWarnings({"unchecked", "rawtypes"})
    akka.actor.typed.ActorRef<GuardianMsg> g = (akka.actor.typed.ActorRef) probe.getRef();
    @SuppressWarnings({"unchecked", "rawtypes"})
    akka.actor.typed.ActorRef<CoordinatorMsg> c = (akka.actor.typed.ActorRef) probe.getRef();
    @SuppressWarnings({"unchecked", "rawtypes"})
    akka.actor.typed.ActorRef<ComponentMsg> a = (akka.actor.typed.ActorRef) probe.getRef();
    for (Msg m : modelSamples()) st.verifySerialization(new Deliver(Long.MAX_VALUE - 3, 1, 2, 1, 99, m), true);
    Map<String, Object> knobs = new LinkedHashMap<>();
    knobs.put("folio.order", 9);
    knobs.put("run.seed", 1L);
    knobs.put("faults.preempt-rate", 0.05);
    knobs.put("expect.violations", List.of("wrong-folio-ref"));
    knobs.put("expect.clean", false);
    Violation v = new Violation("wrong-folio-ref", 12, List.of("taker0"), List.of("0x100c2a"), "msg");
    List<Object> all =
        new ArrayList<>(
            List.of(
                new Hello(c),
                new HelloBack(g, "akka://gmemsim@127.0.0.1:1234", List.of("memory", "cpu")),
                new Setup(knobs, 4, List.of(0, 2)),
                new Placed(1, 2, a),
                new SetupDone(g, List.of(new Placed(0, 1, a))),
                new Directory(List.of(List.of(a, a), List.of(a, a))),
                new DirectoryAck(g),
                new BeginRun(1, 5, -77, 1234, 9876, c),
                new Ready(1, 5),
                new Go(1, 5),
                new EndRun(1, 5, true),
                new Ended(1, 5, 2000, 1, 4000, List.of(v)),
                new Probe(1, 5, 0),
                new GetLogs(1, 5),
                new Shutdown(),
                new ThreadDone(1, 5, 3),
                new StepLimit(1, 5, 2),
                new Spinning(1, 5, 2, true),
                new CutRun(1, 5)));
    for (Object o : all) st.verifySerialization(o, true);
    ProbeReply reply = new ProbeReply(1, 5, 1, 10, 9, 1, new long[] {4, 6}, new long[] {4, 5});
    ProbeReply probeBack = (ProbeReply) SerializationExtension.get(kit.system()).deserialize(
        SerializationExtension.get(kit.system()).serialize(reply).get(), ProbeReply.class).get();
    assertArrayEquals(reply.laneSent(), probeBack.laneSent());
    assertArrayEquals(reply.laneReceived(), probeBack.laneReceived());
    assertEquals(Arrays.asList(1, 5L, 1, 10L, 9L, 1L), Arrays.asList(probeBack.slot(), probeBack.run(), probeBack.round(),
        probeBack.sent(), probeBack.received(), probeBack.parked()));
    Log log = new Log(1, 5, 0, new long[] {1L << 40, 7});
    Log back = (Log) SerializationExtension.get(kit.system()).deserialize(
        SerializationExtension.get(kit.system()).serialize(log).get(), Log.class).get();
    assertArrayEquals(log.ids(), back.ids());
    assertEquals(Arrays.asList(1, 5L, 0), Arrays.asList(back.slot(), back.run(), back.component()));

    // Swarm placement: leases out, results (with a finding's schedule) back.
    @SuppressWarnings({"unchecked", "rawtypes"})
    akka.actor.typed.ActorRef<gmemsim.runtime.swarm.SwarmProtocol.WorkerMsg> w = (akka.actor.typed.ActorRef) probe.getRef();
    @SuppressWarnings({"unchecked", "rawtypes"})
    akka.actor.typed.ActorRef<gmemsim.runtime.swarm.SwarmProtocol.CoordinatorMsg> sc = (akka.actor.typed.ActorRef) probe.getRef();
    for (Object o : List.of(
        new gmemsim.runtime.swarm.SwarmProtocol.Join(w, "akka://gmemsim@127.0.0.1:1234"),
        new gmemsim.runtime.swarm.SwarmProtocol.Setup(sc, knobs, 1, "pct", 4, 812, 1_000_000, "akka"),
        new gmemsim.runtime.swarm.SwarmProtocol.Pull(w),
        new gmemsim.runtime.swarm.SwarmProtocol.Lease(3, 4096, 512),
        new gmemsim.runtime.swarm.SwarmProtocol.Stop())) {
      st.verifySerialization(o, true);
    }
    gmemsim.runtime.Finding f = new gmemsim.runtime.Finding("wrong-folio-ref", 3, 21, -5, 0, 22, v, new long[] {1, 2, 1L << 40});
    var done = new gmemsim.runtime.swarm.SwarmProtocol.RangeDone(w, 3, 4096, 512, 100_000, 1, Map.of("still-moving", 1L), 7, 123_456_789, List.of(f), snap(), null);
    var ser = SerializationExtension.get(kit.system());
    var doneBack = (gmemsim.runtime.swarm.SwarmProtocol.RangeDone) ser.deserialize(ser.serialize(done).get(), done.getClass()).get();
    assertEquals(Arrays.asList(done.lease(), done.first(), done.count(), done.steps(), done.cutShort(), done.faulted(), done.workerNanos()),
        Arrays.asList(doneBack.lease(), doneBack.first(), doneBack.count(), doneBack.steps(), doneBack.cutShort(), doneBack.faulted(), doneBack.workerNanos()));
    assertEquals(f.first(), doneBack.findings().get(0).first());
    assertArrayEquals(f.schedule(), doneBack.findings().get(0).schedule());
    assertEquals(done.coverage().outcomes(), doneBack.coverage().outcomes());
    assertEquals(done.coverage().windows(), doneBack.coverage().windows());
    assertEquals(done.coverage().points(), doneBack.coverage().points());
    assertEquals(done.coverage().hits(), doneBack.coverage().hits());
    assertArrayEquals(done.coverage().windowsPerRun(), doneBack.coverage().windowsPerRun());
    assertEquals(done.coverage().sampleWindows(), doneBack.coverage().sampleWindows());
    assertEquals(f.races().get(0).signature(), doneBack.findings().get(0).races().get(0).signature());
  }

  /** A coverage snapshot with an outcome and a window, as a worker ships it. */
  static gmemsim.runtime.Coverage.Snapshot snap() {
    Map<String, Map<String, Long>> outcomes = new java.util.HashMap<>();
    outcomes.put("folio_try_get", new java.util.HashMap<>(Map.of("got", 7L, "fail", 1L)));
    Map<String, Map<String, Long>> windows = new java.util.HashMap<>();
    windows.put("page_folio -> folio_try_get", new java.util.HashMap<>(Map.of("clear_compound_head", 3L)));
    Map<String, List<String>> possible = new java.util.HashMap<>();
    possible.put("folio_try_get", new ArrayList<>(List.of("got", "fail")));
    Map<String, Map<String, Boolean>> points = new java.util.HashMap<>();
    points.put("a_path (APath)", new java.util.LinkedHashMap<>(Map.of("A_POINT", true)));
    Map<Long, List<String>> hits = new java.util.HashMap<>();
    hits.put(3L, new ArrayList<>(List.of("refcount-error")));
    return new gmemsim.runtime.Coverage.Snapshot(8, outcomes, windows, possible, points, new long[] {1, 4, 0, 2}, hits, null, 4);
  }

  /** A class nobody registered. */
  record Stray(int x) implements WireMessage {}

  @Test
  void anUnregisteredClassFailsLoudly() {
    SerializationTestKit st = new SerializationTestKit(kit.system());
    assertThrows(Exception.class, () -> st.verifySerialization(new Stray(1), true));
  }
}

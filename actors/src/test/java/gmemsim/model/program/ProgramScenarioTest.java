package gmemsim.model.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.MachineBuilder;
import gmemsim.oracle.AbiFailureOracle;
import gmemsim.oracle.WrongDataOracle;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios whose actors and programs are written in the file: results checked per call, errors per line. */
class ProgramScenarioTest {
  private static final Path ABI = Path.of("..", "scenarios", "guest-memfd-abi.conf");

  @TempDir Path tmp;

  private static Scenario load(Path f, String... sets) {
    return new ScenarioLoader(Oracles.names()).load(f, List.of(sets));
  }

  private static HuntResult hunt(Scenario s, String runs) {
    return Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse(runs), 1_000_000), null);
  }

  private Path variant(Path from, String old, String replacement) throws IOException {
    String text = Files.readString(from);
    assertTrue(text.contains(old), old);
    Path f = tmp.resolve(from.getFileName());
    Files.writeString(f, text.replace(old, replacement));
    return f;
  }

  @Test
  void theSelftestLikeProgramReturnsWhatEveryCallMustReturn() {
    HuntResult r = hunt(load(ABI), "300runs");
    assertEquals(Set.of(), r.findings().keySet());
  }

  @Test
  void aCallThatReturnsOtherThanItsExpectIsAnAbiFailureNamingTheCallTheLineAndBothResults() throws IOException {
    Path f = variant(ABI, "offset = 4K, len = 4095, expect = EINVAL", "offset = 4K, len = 4095, expect = 0");
    HuntResult r = hunt(load(f), "20runs");
    assertEquals(Set.of(AbiFailureOracle.NAME), r.findings().keySet());
    String message = r.findings().get(AbiFailureOracle.NAME).first().message();
    assertTrue(message.contains("fallocate (" + f + ":"), message);
    assertTrue(message.contains("returned -EINVAL, expected 0"), message);
  }

  @Test
  void aCallWithoutExpectMustSucceed() throws IOException {
    Path f = variant(ABI, "{ op = read, expect = EINVAL }", "{ op = read }");
    HuntResult r = hunt(load(f), "20runs");
    assertEquals(Set.of(AbiFailureOracle.NAME), r.findings().keySet());
    assertTrue(r.findings().get(AbiFailureOracle.NAME).first().message().contains("read ("), r.toString());
  }

  @Test
  void unknownOperationsArgumentsKindsAndDomainsAreErrorsWithFileAndLine() throws IOException {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> MachineBuilder.validate(load(variant(ABI, "{ op = read, expect = EINVAL }", "{ op = raed }"))));
    assertTrue(e.getMessage().matches(".*guest-memfd-abi.conf:\\d+: actors\\[vmm\\]\\.program\\[4\\]\\.op: unknown operation 'raed'; did you mean 'read'.*"),
        e.getMessage());
    e = assertThrows(ScenarioException.class,
        () -> MachineBuilder.validate(load(variant(ABI, "{ op = read, expect = EINVAL }", "{ op = read, lenght = 4, expect = EINVAL }"))));
    assertTrue(e.getMessage().matches(".*:\\d+: actors\\[vmm\\]\\.program\\[4\\]\\.lenght: unknown argument of read.*did you mean 'len'.*"),
        e.getMessage());
    e = assertThrows(ScenarioException.class,
        () -> MachineBuilder.validate(load(variant(ABI, "kind = kernel", "kind = kernal"))));
    assertTrue(e.getMessage().contains("actors[kernel0].kind: unknown kind 'kernal'"), e.getMessage());
    e = assertThrows(ScenarioException.class,
        () -> MachineBuilder.validate(load(variant(ABI, "{ op = clear-page, count = 2 }", "{ op = read }"))));
    assertTrue(e.getMessage().contains("read is a userspace operation; an actor of kind kernel runs [kernel, sync]"), e.getMessage());
    e = assertThrows(ScenarioException.class,
        () -> MachineBuilder.validate(load(variant(ABI, "{ op = read, expect = EINVAL }", "{ op = read, expect = ENOSPC }"))));
    assertTrue(e.getMessage().contains(".expect: 'ENOSPC' is not one of"), e.getMessage());
    // mmap()'s offset is unsigned: a negative one is no call the model follows.
    e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(ABI,
        "{ op = mmap-touch, offset = 0, len = 16K, expect = 0 }", "{ op = mmap-touch, offset = -4096, len = 16K, expect = 0 }"))));
    assertTrue(e.getMessage().matches(".*guest-memfd-abi.conf:\\d+: actors\\[vmm\\]\\.program\\[\\d+\\]\\.offset: -4096: negative.*"),
        e.getMessage());
  }

  private static final Path SHARED = Path.of("..", "scenarios", "selftests", "guest-memfd-shared.conf");
  private static final Path CONVERSIONS = Path.of("..", "scenarios", "selftests", "conversions-guest-data.conf");

  @Test
  void aLoadThatReadsOtherThanItsExpectDataIsWrongDataNamingTheOperationTheLineAndBothValues() throws IOException {
    // The punched page reads zeros, not the 0xaa stored before the punch.
    Path f = variant(SHARED, "offset = 0, len = 4K, expect-data = zeros", "offset = 0, len = 4K, expect-data = 0xaa");
    HuntResult r = hunt(load(f), "20runs");
    assertEquals(Set.of(WrongDataOracle.NAME), r.findings().keySet());
    String message = r.findings().get(WrongDataOracle.NAME).first().message();
    assertTrue(message.matches("vmm: mmap-read \\(" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+\\) read zeros in pfn 0x[0-9a-f]+, expected 0xaa"),
        message);
    // A guest load: the store after the punch is what it reads, not the one before.
    f = variant(CONVERSIONS, "write = false, expect-data = 0xcc", "write = false, expect-data = 0x22");
    r = hunt(load(f), "20runs");
    assertEquals(Set.of(WrongDataOracle.NAME), r.findings().keySet());
    message = r.findings().get(WrongDataOracle.NAME).first().message();
    assertTrue(message.contains("vcpu0: access (") && message.contains("read guest-private data 0xcc of VM 1"), message);
    assertTrue(message.endsWith("expected 0x22"), message);
  }

  @Test
  void anFstatThatReportsOtherThanItsExpectIsAnAbiFailureNamingTheFieldAndTheLine() throws IOException {
    Path f = variant(SHARED, "expect-size = 16K, expect-blksize = 4K", "expect-size = 16K, expect-blksize = 2M");
    HuntResult r = hunt(load(f), "5runs");
    assertEquals(Set.of(AbiFailureOracle.NAME), r.findings().keySet());
    String message = r.findings().get(AbiFailureOracle.NAME).first().message();
    assertTrue(message.matches("vmm: fstat st_blksize \\(" + java.util.regex.Pattern.quote(f.toString())
        + ":\\d+\\) returned 4096, expected 2097152"), message);
  }

  @Test
  void dataArgumentsOutOfPlaceOrRangeAreErrorsWithFileAndLine() throws IOException {
    String load = "{ op = access, gfn = 0x100001, write = false, expect-data = 0x22 }";
    ScenarioException e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(CONVERSIONS, load,
        "{ op = access, gfn = 0x100001, expect-data = 0x22 }"))));
    assertTrue(e.getMessage().matches(".*conversions-guest-data.conf:\\d+: actors\\[vcpu0\\]\\.program\\[\\d+\\]\\.expect-data: a store reads nothing back.*"),
        e.getMessage());
    e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(CONVERSIONS, load,
        "{ op = access, gfn = 0x100001, write = false, data = 0x22 }"))));
    assertTrue(e.getMessage().contains(".data: a load stores nothing"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(CONVERSIONS, load,
        "{ op = access, gfn = 0x100001, write = false, expect-data = zero }"))));
    assertTrue(e.getMessage().contains(".expect-data: expected zeros or a byte such as 0xaa, got zero"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(CONVERSIONS,
        "{ op = access, gfn = 0x100001, data = 0x22 }", "{ op = access, gfn = 0x100001, data = 0x122 }"))));
    assertTrue(e.getMessage().contains(".data: 290 is outside [1, 255]"), e.getMessage());
  }

  private static final Path VM_CLOSE = Path.of("..", "scenarios", "vm-close-vs-file-release.conf");

  @Test
  void aCallOnTheFileThatMayOverlapAnotherActorsCloseIsRefusedAsNotModelled() throws IOException {
    Path f = tmp.resolve("close-beside.conf");
    String io = "{ name = io, kind = vmm, program = [ { op = fallocate, offset = 0, len = 4K }, { op = wake, futex = io-done } ] }";
    Files.writeString(f, String.join("\n",
        "machine.memory = 4M",
        "actors = [",
        "  { name = vmm, kind = vmm, program = [ { op = create, size = 16K, expect = 0 }, { op = wait, futex = io-done }, { op = close } ] }",
        "  " + io,
        "]"));
    // The close waits for io-done, which io wakes after its call: ordered, accepted.
    MachineBuilder.validate(load(f));
    Files.writeString(f, Files.readString(f).replace(io,
        "{ name = io, kind = vmm, program = [ { op = wake, futex = io-done }, { op = fallocate, offset = 0, len = 4K } ] }"));
    ScenarioException e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(f)));
    assertTrue(e.getMessage().matches(".*close-beside.conf:\\d+: actors\\[vmm\\]\\.program\\[2\\]: not modelled:"
        + " fallocate at .*close-beside.conf:\\d+ in io may overlap this close of the guest_memfd.*"), e.getMessage());
  }

  @Test
  void aVmIoctlAfterTheVmFdIsClosedIsRefusedAsNotModelledWithFileAndLine() throws IOException {
    String second = "{ op = close-vm, expect = EBADF }";
    ScenarioException e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(VM_CLOSE, second,
        "{ op = set-memory-attributes, address = 0x80000000, size = 4K, attributes = shared }"))));
    assertTrue(e.getMessage().matches(".*vm-close-vs-file-release.conf:\\d+: actors\\[vmm1\\]\\.program\\[0\\]: not modelled:"
        + " set-memory-attributes at .*vm-close-vs-file-release.conf:\\d+ after the close of the VM fd.*"), e.getMessage());
    e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(variant(VM_CLOSE,
        "{ op = close, expect = 0 }", "{ op = set-memory-attributes, address = 0x80000000, size = 4K, attributes = shared }"))));
    assertTrue(e.getMessage().contains("in another actor than the close of the VM fd"), e.getMessage());
  }

  @Test
  void aKnobNoActorReadsIsAnErrorInTheProgramFormToo() {
    Scenario s = load(ABI, "gmem.migrate-folio=filemap");
    MachineBuilder.validate(s);
    assertEquals(List.of("gmem.migrate-folio"), s.silentKnobs().stream().map(k -> k.key()).toList());
  }

  @Test
  void aSecondGuestMemfdIsSaidToBeNotModelled() throws IOException {
    Path f = variant(ABI, "{ op = read, expect = EINVAL }", "{ op = create, size = 4K, expect = 0 }");
    ScenarioException e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(f)));
    assertTrue(e.getMessage().contains("a second guest_memfd: not modelled"), e.getMessage());
  }

  /** The scenario with a patch file beside it (kernel.patch), replacing the kernel functions it defines. */
  private Path patched(String patch) throws IOException {
    Files.writeString(tmp.resolve("checks.c"), patch);
    return variant(ABI, "vm.type = default", "vm.type = default\nkernel.patch = [checks.c]");
  }

  @Test
  void aCallsArgumentChecksAreKernelSourceThatAPatchChanges() throws IOException {
    // vfs_read() runs in the read's path: a patch that lets reads fail with -EBADF is an ABI failure.
    Path f = patched("long vfs_read(struct file *file, long count)\n{\n\treturn -EBADF;\n}\n");
    HuntResult r = hunt(load(f), "5runs");
    assertEquals(Set.of(AbiFailureOracle.NAME), r.findings().keySet());
    String message = r.findings().get(AbiFailureOracle.NAME).first().message();
    assertTrue(message.contains("read (") && message.contains("returned -EBADF, expected -EINVAL"), message);
  }

  @Test
  void createsChecksDecideTheMachineFromKernelSource() throws IOException {
    // kvm_gmem_create() runs before the machine exists: a VM that supports no WRITE flag refuses
    // the selftest's file, so no create succeeds and the calls on the file have none.
    Path f = patched("static inline u64 kvm_gmem_get_supported_flags(struct kvm *kvm)\n{\n\treturn GUEST_MEMFD_FLAG_MMAP"
        + " | GUEST_MEMFD_FLAG_INIT_SHARED;\n}\n");
    ScenarioException e = assertThrows(ScenarioException.class, () -> MachineBuilder.validate(load(f)));
    assertTrue(e.getMessage().contains("needs a guest_memfd, and no program creates one"), e.getMessage());
  }

  @Test
  void aCheckBeforeTheMachineExistsSaysWhereItsErrorBeganAndMayMakeNoStep() {
    gmemsim.lang.Program p = gmemsim.model.exec.KernelPrograms.of(load(ABI));
    gmemsim.model.exec.NoStepCall c = new gmemsim.model.exec.NoStepCall(p);
    long kvm = c.object();
    c.field(kvm, "kvm", "vm_type", gmemsim.model.kvm.VmType.TDX.abi());
    gmemsim.model.exec.NoStepCall.Result r = c.run("kvm_gmem_create", kvm, 4096, 2);
    assertEquals(-22, r.value());
    assertTrue(r.errorAt().matches("kvm_gmem_create\\(\\) returns -EINVAL at virt/kvm/guest_memfd\\.c:\\d+: return -EINVAL"),
        r.errorAt());
    assertEquals(new gmemsim.model.exec.NoStepCall.Result(0, null), c.run("kvm_gmem_create", kvm, 4096, 1));
    long file = c.object();
    c.field(file, "file", "f_inode", file).field(file, "inode", "i_size", 4096);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.run("vmm_close", file));
    assertTrue(e.getMessage().contains("vmm_close() makes a step before the machine exists"), e.getMessage());
  }

  @Test
  void theProgramFormOfFaultVsPunchHoleFindsRace3OnlyWithoutTheRetryCheck() throws IOException {
    Path f = tmp.resolve("fvph.conf");
    Files.writeString(f, String.join("\n",
        "vm.type = sw-protected",
        "machine { cpus = 2, memory = 4M }",
        "gmem.folio-order = 0",
        "actors = [",
        "  { name = vmm, kind = vmm, program = [",
        "      { op = create, size = 16K }",
        "      { op = bind, gfn = 0x80000 }",
        "      { op = fallocate, mode = [keep-size, punch-hole], offset = 4K, len = 8K }",
        "      { op = wait, futex = vcpu0-exit }",
        "      { op = close } ] }",
        "  { name = vcpu0, kind = vcpu, program = [",
        "      { op = access, gfn = 0x80000, pages = 4, repeat = 3 }",
        "      { op = wake, futex = vcpu0-exit, on-exit = true } ] }",
        "]"));
    assertEquals(Set.of(), hunt(load(f), "3000runs").findings().keySet());
    Set<String> bad = hunt(load(f, "kvm.fault-retry-check=none"), "3000runs").findings().keySet();
    assertTrue(bad.contains("stale-mapping"), bad.toString());
  }
}

package gmemsim.model.exec;

import gmemsim.lang.Type;
import java.util.List;

/**
 * What kernel source calls that is neither a modelled function nor a primitive: helpers that
 * compute from their arguments alone (page_address(), ALIGN(), IS_ERR()), and markers the
 * interpreter reads (local_irq_disable(), cond_resched(), WARN_ON(), make_task_dead()). None is
 * a step.
 */
public enum Builtin {
  LOCAL_IRQ_DISABLE("local_irq_disable", "void", "IRQs off: no preemption or interrupt until local_irq_enable()"),
  LOCAL_IRQ_ENABLE("local_irq_enable", "void", "IRQs on again"),
  LOCAL_IRQ_SAVE("local_irq_save", "void", "IRQs off (the flags argument is not modelled)", "flags"),
  LOCAL_IRQ_RESTORE("local_irq_restore", "void", "IRQs back on", "flags"),
  PREEMPT_DISABLE("preempt_disable", "void", "no preemption until preempt_enable()"),
  PREEMPT_ENABLE("preempt_enable", "void", "preemption on again"),
  COND_RESCHED("cond_resched", "void", "a retry loop yields the CPU: the next step is a spin (a scheduler lowers this thread)"),
  CPU_RELAX("cpu_relax", "void", "a busy-wait loop goes round: the next step is a spin"),
  SMP_RMB("smp_rmb", "void", "a read barrier: steps are already ordered, nothing to do"),
  SMP_WMB("smp_wmb", "void", "a write barrier: steps are already ordered, nothing to do"),
  SMP_MB("smp_mb", "void", "a full barrier: steps are already ordered, nothing to do"),
  WARN_ON("WARN_ON", "bool", "reports a warning (oracle warn) when the condition holds; returns it", "condition"),
  WARN_ON_ONCE("WARN_ON_ONCE", "bool", "as WARN_ON", "condition"),
  WARN("WARN", "bool", "as WARN_ON, with a message", true, "condition", "fmt"),
  PR_INFO("pr_info", "void", "a line in the trace", true, "fmt"),
  PR_WARN("pr_warn", "void", "a line in the trace", true, "fmt"),
  PR_ERR("pr_err", "void", "a line in the trace", true, "fmt"),
  LIKELY("likely", "bool", "its argument", "x"),
  UNLIKELY("unlikely", "bool", "its argument", "x"),
  MIN("min", "long", "the smaller", "a", "b"),
  MAX("max", "long", "the larger", "a", "b"),
  ALIGN("ALIGN", "long", "x rounded up to a multiple of a (a power of two)", "x", "a"),
  ALIGN_DOWN("ALIGN_DOWN", "long", "x rounded down to a multiple of a", "x", "a"),
  IS_ALIGNED("IS_ALIGNED", "bool", "whether x is a multiple of a", "x", "a"),
  BIT("BIT", "long", "1 << n", "n"),
  IS_ERR("IS_ERR", "bool", "whether a pointer holds an errno (-4095..-1)", "ptr"),
  IS_ERR_OR_NULL("IS_ERR_OR_NULL", "bool", "IS_ERR() or NULL", "ptr"),
  PTR_ERR("PTR_ERR", "long", "the errno a pointer holds", "ptr"),
  ERR_PTR("ERR_PTR", "struct page *", "a pointer holding an errno", "error"),
  PAGE_TO_PFN("page_to_pfn", "unsigned long", "struct page and pfn are the same number in the model", "page"),
  PFN_TO_PAGE("pfn_to_page", "struct page *", "the struct page of a frame", "pfn"),
  FOLIO_PFN("folio_pfn", "unsigned long", "the head frame of a folio", "folio"),
  FOLIO_PAGE("folio_page", "struct page *", "page n of a folio (head + n)", "folio", "n"),
  PAGE_ADDRESS("page_address", "unsigned long", "the direct-map address of a page: PAGE_OFFSET + pfn * PAGE_SIZE", "page"),
  VIRT_TO_PFN("virt_to_pfn", "unsigned long", "the frame a direct-map address maps", "va"),
  VIRT_TO_PAGE("virt_to_page", "struct page *", "the struct page a direct-map address maps", "va"),
  PTE_PRESENT("pte_present", "bool", "whether a PTE value maps a page (model PTEs: a pfn, or a none or migration entry)", "pte"),
  PTE_NONE("pte_none", "bool", "whether a PTE value is empty", "pte"),
  IS_MIGRATION_ENTRY("is_migration_entry", "bool", "whether a PTE value is a migration entry", "pte"),
  PTE_PFN("pte_pfn", "unsigned long", "the frame a present PTE maps", "pte"),
  PTE_PAGE("pte_page", "struct page *", "the struct page a present PTE maps", "pte"),
  GET_RANDOM_U32_BELOW("get_random_u32_below", "unsigned int", "a random number below ceil, from the executor's own generator", "ceil"),
  INSN_BEGIN("__insn_begin", "void", "hardware: an instruction (a translation and its access) starts; IPIs wait until it retires"),
  INSN_END("__insn_end", "void", "hardware: the instruction retires; IPIs that arrived meanwhile are taken now"),
  DIRECT_MAP("__direct_map", "struct direct_map *",
      "model: the machine's kernel page tables of the direct map, the owner of set_memory.c's static cpa_lock and of"
          + " pgd_lock (the subset has no global variables)"),
  DIRECT_MAP_FAULT("__direct_map_fault", "void",
      "ghost: this task's access through the direct-map address addr hit a non-present entry (the direct-map-fault"
          + " oracle's fact, naming the function whose instruction faulted: the caller of the CPU model's access)", "addr"),
  GUEST_DATA("__guest_data", "int", "ghost: the content tag of data VM vm_id's guest writes", "vm_id"),
  EXPECT_DATA("__expect_data", "void", "model: the program that made this access of page expects it to read the byte expected"
      + " everywhere in the page (0: zeros; -1: it expects nothing); tag is what the access read. A mismatch is the"
      + " wrong-data oracle's fact, naming the program's operation at site and the page read", "tag", "expected", "site",
      "page"),
  EXPECT_VALUE("__expect_value", "void", "model: the program expects a value the call gave back (a stat field) to be"
      + " expected (-1: it expects nothing); a mismatch is the abi-failure oracle's fact, naming the operation at site",
      "value", "expected", "site"),
  KERNEL_DATA("__kernel_data", "int", "ghost: the content tag of data this executor writes"),
  GHOST_HOLDER("__ghost_holder", "void", "model only: the next step moves references that object holds (the page cache's), not the caller's", "object"),
  MAKE_TASK_DEAD("make_task_dead", "void", "an oops ends the task: no further step of it runs", "signr"),
  VCPU_STOP("__vcpu_stop", "void", "model: the VM stops (KVM_RUN failed for good, or the guest panicked): this vCPU runs nothing more"),
  ABI_FAILURE("__abi_failure", "void", "model: userspace got error err it cannot handle (the abi-failure oracle's fact), the"
      + " operation named by fmt", true, "err", "fmt"),
  GUEST_MAPPED("__guest_mapped", "void", "ghost: the guest maps page at file index under the reference it believes it holds"
      + " (what its balloon scrub writes later)", "index", "page"),
  GUEST_PAGE("__guest_page", "struct page *", "ghost: the page the guest mapped at file index (NULL: none), which it"
      + " believes its mapping still pins until __guest_unmapped()", "index"),
  GUEST_UNMAPPED("__guest_unmapped", "void", "ghost: the guest no longer uses page (it gave it back)", "page");

  public final String cname;
  public final Type ret;
  public final String doc;
  public final List<String> params;
  public final boolean variadic;

  Builtin(String cname, String ret, String doc, String... params) {
    this(cname, ret, doc, false, params);
  }

  Builtin(String cname, String ret, String doc, boolean variadic, String... params) {
    this.cname = cname;
    this.ret = gmemsim.model.prim.Primitives.parseTypeOf(ret);
    this.doc = doc;
    this.params = List.of(params);
    this.variadic = variadic;
  }
}

package gmemsim.model.kvm;

/** KVM_CREATE_VM's type, as far as guest_memfd cares: who can see private memory. */
public enum VmType {
  /**
   * KVM_X86_DEFAULT_VM: no private memory; a guest_memfd of such a VM may be INIT_SHARED (and
   * WRITE, NO_DIRECT_MAP). The model has no fault path for its shared guest_memfd memory.
   */
  DEFAULT("default"),
  /** KVM_X86_SW_PROTECTED_VM: private memory from guest_memfd, no hardware protection. */
  SW_PROTECTED("sw-protected"),
  /**
   * KVM_X86_TDX_VM: private memory is mapped through the S-EPT by the TDX module; a private page
   * the guest has not ACCEPTed is PENDING, and removing one loses its contents.
   */
  TDX("tdx");

  private final String knob;

  VmType(String knob) {
    this.knob = knob;
  }

  /** The type's value in the KVM ABI (KVM_CREATE_VM's type: KVM_X86_*_VM). */
  public int abi() {
    return switch (this) {
      case DEFAULT -> 0;
      case SW_PROTECTED -> 1;
      case TDX -> 5;
    };
  }

  public String knob() {
    return knob;
  }

  /** kvm_arch_has_private_mem(): whether gfns can be private (KVM_MEMORY_ATTRIBUTE_PRIVATE). */
  public boolean privateMem() {
    return this != DEFAULT;
  }

  public static VmType fromKnob(String v) {
    for (VmType t : values()) if (t.knob.equals(v)) return t;
    throw new IllegalArgumentException("unknown vm.type " + v);
  }
}

package gmemsim.model.kvm;

/** KVM_CREATE_VM's type, as far as guest_memfd cares: who can see private memory. */
public enum VmType {
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

  public String knob() {
    return knob;
  }

  public static VmType fromKnob(String v) {
    for (VmType t : values()) if (t.knob.equals(v)) return t;
    throw new IllegalArgumentException("unknown vm.type " + v);
  }
}

package gmemsim.model.program;

/** Who may run an operation: the actor kinds list the domains they run. */
public enum Domain {
  /** A system call or ioctl of a userspace process (the VMM). */
  USERSPACE,
  /** What a guest does on its vCPU: accesses that fault through KVM, TDCALLs. */
  GUEST,
  /** Host kernel activity: speculative loads, allocations, kernel threads' work. */
  KERNEL,
  /** Futex waits and wakes, the hand-offs between programs. */
  SYNC
}

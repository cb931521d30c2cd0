package gmemsim.model;

/** The error numbers modelled paths return, with the kernel's values. */
public final class Errno {
  public static final int EPERM = -1;
  public static final int EIO = -5;
  public static final int EBADF = -9;
  public static final int EAGAIN = -11;
  public static final int ENOMEM = -12;
  public static final int EACCES = -13;
  public static final int EFAULT = -14;
  public static final int EBUSY = -16;
  public static final int EEXIST = -17;
  public static final int ENODEV = -19;
  public static final int EINVAL = -22;
  public static final int EFBIG = -27;
  public static final int ENOSPC = -28;
  public static final int ESPIPE = -29;
  public static final int EOPNOTSUPP = -95;
  public static final int EHWPOISON = -133;
  /** Not an errno: the access through a user mapping was killed with SIGBUS (VM_FAULT_SIGBUS). */
  public static final int SIGBUS = -1007;

  /** Every result a scenario may name in {@code expect}, by name without the sign. */
  public static final java.util.Map<String, Integer> BY_NAME = byName();

  private static java.util.Map<String, Integer> byName() {
    java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
    for (int v : new int[] {EPERM, EIO, EBADF, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, EFBIG, ENOSPC, ESPIPE,
        EOPNOTSUPP, EHWPOISON, SIGBUS}) {
      m.put(name(v).replaceFirst("^-", ""), v);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private Errno() {}

  public static String name(long v) {
    return switch ((int) v) {
      case EAGAIN -> "-EAGAIN";
      case ENOMEM -> "-ENOMEM";
      case EACCES -> "-EACCES";
      case EFAULT -> "-EFAULT";
      case EBUSY -> "-EBUSY";
      case EINVAL -> "-EINVAL";
      case EPERM -> "-EPERM";
      case EIO -> "-EIO";
      case EEXIST -> "-EEXIST";
      case EHWPOISON -> "-EHWPOISON";
      case EBADF -> "-EBADF";
      case ENODEV -> "-ENODEV";
      case EFBIG -> "-EFBIG";
      case ENOSPC -> "-ENOSPC";
      case ESPIPE -> "-ESPIPE";
      case EOPNOTSUPP -> "-EOPNOTSUPP";
      case SIGBUS -> "SIGBUS";
      case 0 -> "0";
      default -> Long.toString(v);
    };
  }
}

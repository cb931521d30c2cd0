package gmemsim.model;

/** The error numbers modelled paths return, with the kernel's values. */
public final class Errno {
  public static final int EPERM = -1;
  public static final int EIO = -5;
  public static final int EAGAIN = -11;
  public static final int ENOMEM = -12;
  public static final int EFAULT = -14;
  public static final int EBUSY = -16;
  public static final int EEXIST = -17;
  public static final int EINVAL = -22;
  public static final int EHWPOISON = -133;

  private Errno() {}

  public static String name(long v) {
    return switch ((int) v) {
      case EAGAIN -> "-EAGAIN";
      case ENOMEM -> "-ENOMEM";
      case EFAULT -> "-EFAULT";
      case EBUSY -> "-EBUSY";
      case EINVAL -> "-EINVAL";
      case EPERM -> "-EPERM";
      case EIO -> "-EIO";
      case EEXIST -> "-EEXIST";
      case EHWPOISON -> "-EHWPOISON";
      default -> Long.toString(v);
    };
  }
}

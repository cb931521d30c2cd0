package gmemsim.model;

import java.lang.reflect.RecordComponent;

/** Formats messages for traces: {@code folio_try_get(folio=0x100200)}. Used only when tracing. */
public final class Describe {
  private Describe() {}

  public static String record(Msg m) {
    StringBuilder sb = new StringBuilder(m.step()).append('(');
    RecordComponent[] rc = m.getClass().getRecordComponents();
    if (rc != null) {
      for (int i = 0; i < rc.length; i++) {
        if (i > 0) sb.append(", ");
        String n = rc[i].getName();
        Object v;
        try {
          v = rc[i].getAccessor().invoke(m);
        } catch (ReflectiveOperationException e) {
          v = "?";
        }
        sb.append(n).append('=').append(isFrame(n) && v instanceof Integer x ? hex(x) : v);
      }
    }
    return sb.append(')').toString();
  }

  private static boolean isFrame(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("pfn") || n.contains("folio") || n.contains("head");
  }

  public static String hex(long pfn) {
    return "0x" + Long.toHexString(pfn);
  }
}

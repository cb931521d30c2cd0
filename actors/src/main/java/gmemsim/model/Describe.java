package gmemsim.model;

import java.lang.reflect.RecordComponent;

/** Formats messages for traces: {@code folio_try_get(folio=0x100200)}. Used only when tracing. */
public final class Describe {
  private Describe() {}

  public static String record(Msg m) {
    StringBuilder sb = new StringBuilder(m.step()).append('(');
    RecordComponent[] rc = m.getClass().getRecordComponents();
    if (rc != null) {
      boolean first = true;
      for (RecordComponent c : rc) {
        String n = c.getName();
        Object v;
        try {
          v = c.getAccessor().invoke(m);
        } catch (ReflectiveOperationException e) {
          v = "?";
        }
        // An absent value or a flag that is off says nothing: the step's name already does.
        if (v == null || Boolean.FALSE.equals(v) || "".equals(v)) continue;
        if (!first) sb.append(", ");
        first = false;
        sb.append(n).append('=').append(isAddress(n) && v instanceof Number x && x.longValue() >= 0 ? hex(x.longValue()) : v);
      }
    }
    // A step whose arguments all said nothing reads as its name alone.
    return sb.charAt(sb.length() - 1) == '(' ? m.step() : sb.append(')').toString();
  }

  /** Frames, gfns, file indexes and addresses print in hex (kernel developers read them so). */
  public static boolean isAddress(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("pfn") || n.contains("folio") || n.equals("page") || n.contains("head") || n.contains("gfn") || n.contains("index")
        || n.equals("start") || n.equals("end") || n.contains("addr") || n.equals("va");
  }

  public static String hex(long pfn) {
    return "0x" + Long.toHexString(pfn);
  }
}

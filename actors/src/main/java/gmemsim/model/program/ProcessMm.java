package gmemsim.model.program;

import java.util.Map;

/**
 * The VMM process's mm on a machine with a guest_memfd ({@code mm0}, a {@link gmemsim.model.mm.UserMm}):
 * its mmap_lock, the shared zero page, and the source buffer of each populate, whose first page
 * is {@code srcIndex} of the written operation (by its path) in the mm's anonymous VMA.
 */
public record ProcessMm(int component, int zeroPfn, Map<String, Integer> srcIndex) {
  /** Operations that run under the VMM's mmap_lock or hand the kernel a user address. */
  public static final java.util.Set<String> OPS = java.util.Set.of("mmap-touch", "mmap-read", "mmap-anon", "madvise", "populate");

  /** populate's {@code src}: the VMM wrote its image there (present PTEs), or never touched it (none). */
  public static final java.util.List<String> SRC = java.util.List.of("written", "untouched");
}

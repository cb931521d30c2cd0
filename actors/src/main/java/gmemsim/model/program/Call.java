package gmemsim.model.program;

import gmemsim.model.thread.Path;
import java.util.function.IntSupplier;

/**
 * One kernel path a system call runs, and how to read what it returned once it is done (0 or a
 * negative errno). A call of several pages runs one per page and stops at the first error, as the
 * kernel's loop returns it.
 */
public record Call(Path path, IntSupplier result) {}

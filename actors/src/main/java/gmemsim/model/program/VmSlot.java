package gmemsim.model.program;

import gmemsim.model.kvm.KvmBinding;

/**
 * The VM a program's successful {@code bind} attached the file to: one memslot over the whole
 * file from {@code binding.baseGfn()}; {@code madeBy} is the program key of that bind.
 */
public record VmSlot(String name, KvmBinding binding, int pages, String madeBy) {
  public boolean covers(long gfn) {
    return gfn >= binding.baseGfn() && gfn < binding.baseGfn() + pages;
  }
}

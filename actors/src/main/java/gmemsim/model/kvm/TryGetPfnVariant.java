package gmemsim.model.kvm;

import java.util.Locale;

/** How KVM pins the page behind a pfn it found in a VM_IO / VM_PFNMAP mapping (seed 004). */
public enum TryGetPfnVariant {
  /** get_page_unless_zero(pfn_to_page(pfn)): kvm_try_get_pfn() before the 2024 RFC. */
  GET_PAGE_UNLESS_ZERO,
  /** folio_try_get(page_folio(page)): the RFC, with no re-check against a racing split. */
  FOLIO_TRY_GET,
  /** try_get_folio() of mm/gup.c: re-read page_folio() after the get; put and retry on change. */
  FOLIO_TRY_GET_RECHECK;

  /** The knob word for this variant, e.g. {@code folio-try-get-recheck}. */
  public String knob() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static TryGetPfnVariant fromKnob(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}

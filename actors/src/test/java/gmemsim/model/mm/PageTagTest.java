package gmemsim.model.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageTagTest {
  @Test
  void aPatternByteIsReadBackAndKeepsWhoseDataItIs() {
    int t = PageTag.withValue(PageTag.guestPrivateNoDirectMap(1), 0xaa);
    assertTrue(PageTag.reads(t, 0xaa));
    assertFalse(PageTag.reads(t, 0xab));
    assertFalse(PageTag.reads(t, 0));
    // The no-direct-map promise is the direct-map oracles' fact: a value must not hide it.
    assertTrue(PageTag.mustNotBeInDirectMap(t));
    assertEquals("guest-private data 0xaa of VM 1 (no-direct-map memory)", PageTag.describe(t, i -> "?"));
  }

  @Test
  void zerosAreTheUntaggedPageAndUnnamedDataMatchesNoByte() {
    assertTrue(PageTag.reads(PageTag.NONE, 0));
    assertEquals(PageTag.NONE, PageTag.withValue(PageTag.guestPrivate(1), 0));
    for (int b = 0; b <= PageTag.MAX_VALUE; b++) assertFalse(b != 0 && PageTag.reads(PageTag.guestPrivate(1), b));
    assertFalse(PageTag.reads(PageTag.guestPrivate(1), 0));
    assertFalse(PageTag.reads(PageTag.kernel(3), 0));
  }

  @Test
  void onlyGuestDataCarriesAByteAndOnlyOne() {
    assertThrows(IllegalArgumentException.class, () -> PageTag.withValue(PageTag.kernel(2), 1));
    assertThrows(IllegalArgumentException.class, () -> PageTag.withValue(PageTag.guestPrivate(1), 0x100));
    assertEquals(PageTag.withValue(PageTag.guestPrivate(1), 0x33),
        PageTag.withValue(PageTag.withValue(PageTag.guestPrivate(1), 0x22), 0x33));
  }
}

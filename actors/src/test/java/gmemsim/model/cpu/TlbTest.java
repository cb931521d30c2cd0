package gmemsim.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** TLB entries the size of the leaf that filled them, and INVLPG of any page they translate. */
class TlbTest {
  private static final long VA = 0xffff888000000000L;

  private static long va(int page) {
    return VA + ((long) page << 12);
  }

  @Test
  void a2mEntryTranslatesEveryPageOfItsLeafAndOneInvlpgInsideItRemovesItAll() {
    Tlb t = new Tlb(8);
    t.fill(va(512 + 7), 0x100000 + 512 + 7, 2);
    assertEquals(0x100000 + 512, t.lookup(va(512)));
    assertEquals(0x100000 + 1023, t.lookup(va(1023)));
    assertEquals(-1, t.lookup(va(1024)), "the next 2M page is not covered");
    assertEquals(-1, t.lookup(va(511)));
    assertEquals(2, t.levelOf(va(600)));
    assertEquals(0, t.flush(va(1024), va(1025), false), "INVLPG outside the entry");
    assertEquals(1, t.flush(va(700), va(701), false), "INVLPG of one page inside it");
    assertEquals(-1, t.lookup(va(512)));
  }

  @Test
  void a4kEntryIsFlushedOnlyByARangeThatCoversIt() {
    Tlb t = new Tlb(8);
    t.fill(va(3), 0x100003);
    t.fill(va(5), 0x100005, 1);
    assertEquals(-1, t.lookup(va(4)));
    assertEquals(1, t.flush(va(3), va(4), false));
    assertEquals(0x100005, t.lookup(va(5)));
    assertEquals(1, t.entries().length);
    assertEquals(1, t.flush(0, 0, true));
  }

  @Test
  void a1gEntryAndA4kEntryOfTheSameAddressCanBothBeCached() {
    Tlb t = new Tlb(8);
    t.fill(va(9), 0x100009, 3);
    t.fill(va(9), 0x100009, 1);
    assertEquals(2, t.entries().length);
    assertEquals(0x100000 + 262143, t.lookup(va(262143)));
    assertEquals(2, t.flush(va(9), va(10), false), "INVLPG removes both sizes");
  }

  @Test
  void evictionAndFlushesKeepEverySizeFindable() {
    Tlb t = new Tlb(2);
    t.fill(va(1), 0x100001, 1);
    t.fill(va(600), 0x100000 + 600, 2);
    t.fill(va(3), 0x100003, 1); // evicts the 4K entry of page 1, the least recently used
    assertEquals(-1, t.lookup(va(1)));
    assertEquals(0x100000 + 700, t.lookup(va(700)));
    assertEquals(1, t.flush(va(3), va(4), false));
    assertEquals(0x100000 + 512, t.lookup(va(512)), "the 2M entry is still found after the 4K one went");
    t.fill(va(3), 0x100003, 1);
    assertEquals(0x100003, t.lookup(va(3)), "a 4K entry cached again after its level emptied");
    t.flush(0, 0, true);
    t.fill(va(9), 0x100009, 3);
    assertEquals(0x100009, t.lookup(va(9)));
  }
}

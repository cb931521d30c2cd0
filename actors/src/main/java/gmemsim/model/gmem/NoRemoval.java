package gmemsim.model.gmem;

/** gmem.direct-map-removal = off: no design hooks in; the baseline every design is measured against. */
final class NoRemoval implements DirectMapDesign {}

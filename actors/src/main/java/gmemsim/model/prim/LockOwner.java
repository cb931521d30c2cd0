package gmemsim.model.prim;

import gmemsim.model.lock.RwSem;

/**
 * A state owner that holds sleeping locks kernel source takes by address ({@code
 * write_lock(&kvm->mmu_lock)}, {@code down_write(&mapping->invalidate_lock)}): the lock
 * primitives are declared once, here, and reach the owner of the lock their argument names.
 * Every lock is a {@link RwSem}: queue-ordered hand-off, not recursive, waits reported for the
 * deadlock oracle.
 */
public interface LockOwner {
  /** The lock at field {@code field} ({@link Structs} id) of this owner's object. */
  RwSem lock(int field);

  /** Every lock this owner holds the state of. */
  java.util.List<RwSem> locks();

  /** The end-of-run check of these locks: each still held is reported. */
  default void reportHeldLocks(String owner, gmemsim.model.Ctx ctx) {
    for (RwSem l : locks()) l.reportIfHeld(owner, ctx);
  }

  private RwSem lockAt(Call c) {
    int f = Handles.field(c.arg(0));
    if (f < 0) throw new IllegalStateException(c.kernelName() + "() of an object, not of a lock in it");
    return lock(f);
  }

  @Primitive(value = "down_read", args = "sem", ret = "void", blocks = true,
      doc = "down_read(): take an rw_semaphore shared; sleeps behind a writer (kernel/locking/rwsem.c)")
  default long downRead(Call c) {
    lockAt(c).acquire(false, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "down_write", args = "sem", ret = "void", blocks = true,
      doc = "down_write(): take an rw_semaphore exclusive; sleeps behind any holder (kernel/locking/rwsem.c)")
  default long downWrite(Call c) {
    lockAt(c).acquire(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "down_read_trylock", args = "sem", decides = {"locked", "contended"},
      doc = "down_read_trylock(): 1 when the semaphore is taken shared now, 0 without waiting")
  default long downReadTrylock(Call c) {
    lockAt(c).tryAcquire(false, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "up_read", args = "sem", ret = "void", releasesLock = true,
      doc = "up_read(): release a shared hold; a waiting writer may go on (kernel/locking/rwsem.c)")
  default long upRead(Call c) {
    lockAt(c).release(false, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "up_write", args = "sem", ret = "void", releasesLock = true,
      doc = "up_write(): release an exclusive hold and wake the waiters (kernel/locking/rwsem.c)")
  default long upWrite(Call c) {
    lockAt(c).release(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "read_lock", args = "lock", ret = "void", blocks = true,
      doc = "read_lock() of a fair rwlock_t (kvm->mmu_lock): waits behind a writer, queued")
  default long readLock(Call c) {
    lockAt(c).acquire(false, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "write_lock", args = "lock", ret = "void", blocks = true,
      doc = "write_lock() of a fair rwlock_t (kvm->mmu_lock): waits for every holder, queued")
  default long writeLock(Call c) {
    lockAt(c).acquire(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "read_unlock", args = "lock", ret = "void", releasesLock = true,
      doc = "read_unlock() of an rwlock_t")
  default long readUnlock(Call c) {
    lockAt(c).release(false, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "write_unlock", args = "lock", ret = "void", releasesLock = true,
      doc = "write_unlock() of an rwlock_t")
  default long writeUnlock(Call c) {
    lockAt(c).release(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "mutex_lock", args = "lock", ret = "void", blocks = true,
      doc = "mutex_lock(): sleeps until the mutex is free, waiters in order (kernel/locking/mutex.c)")
  default long mutexLock(Call c) {
    lockAt(c).acquire(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "mutex_unlock", args = "lock", ret = "void", releasesLock = true,
      doc = "mutex_unlock(): hands the mutex to the first waiter (kernel/locking/mutex.c)")
  default long mutexUnlock(Call c) {
    lockAt(c).release(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "spin_lock", args = "lock", ret = "void", blocks = true,
      doc = "spin_lock(): the caller spins until the lock is free; modelled as a queue (no interleaving is lost)")
  default long spinLock(Call c) {
    lockAt(c).acquire(true, c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "spin_unlock", args = "lock", ret = "void", releasesLock = true,
      doc = "spin_unlock(): ends in preempt_enable(), where the kernel may reschedule")
  default long spinUnlock(Call c) {
    lockAt(c).release(true, c.ctx());
    return Call.LATER;
  }

}

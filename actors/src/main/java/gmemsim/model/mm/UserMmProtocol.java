package gmemsim.model.mm;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/** Requests to a {@link UserMm}: PTE reads and page-table lock sections, the anon_vma lock. */
public final class UserMmProtocol {
  private UserMmProtocol() {}

  public sealed interface Request extends Msg {
    void applyTo(UserMm mm, Ctx ctx);
  }

  /** gup_fast_pte_range(): one lockless ptep_get() of page's PTE (also its re-check). */
  public record GupFastReadPte(int page) implements Request {
    public String step() {
      return "gup_fast_pte_range: ptep_get";
    }

    @Override
    public String describe() {
      return step() + "(page " + page + ")";
    }

    public void applyTo(UserMm mm, Ctx ctx) {
      mm.gupFastReadPte(this, ctx);
    }
  }

  /**
   * unmap_folio() -> try_to_migrate() -> try_to_migrate_one(), the PTE part: under the page-table
   * lock, each present PTE of the folio's pages becomes a migration entry. Replies how many.
   */
  public record SetMigrationEntries(int first, int nr) implements Request {
    public String step() {
      return "try_to_migrate_one: set_pte_at(migration entry)";
    }

    @Override
    public String describe() {
      return step() + " pages [" + first + ", " + (first + nr) + ")";
    }

    public void applyTo(UserMm mm, Ctx ctx) {
      mm.setMigrationEntries(this, ctx);
    }
  }

  /** remove_migration_ptes() -> remove_migration_pte(), the PTE part: migration entries back to PTEs. */
  public record RemoveMigrationPtes(int first, int nr) implements Request {
    public String step() {
      return "remove_migration_pte: set_pte_at";
    }

    @Override
    public String describe() {
      return step() + " pages [" + first + ", " + (first + nr) + ")";
    }

    public void applyTo(UserMm mm, Ctx ctx) {
      mm.restoreMigrationPtes(this, ctx);
    }
  }

  /** zap_pte_range() of munmap(): clear the PTEs under the page-table lock. */
  public record ZapPteRange(int first, int nr) implements Request {
    public String step() {
      return "zap_pte_range: ptep_get_and_clear";
    }

    @Override
    public String describe() {
      return step() + " pages [" + first + ", " + (first + nr) + ")";
    }

    public void applyTo(UserMm mm, Ctx ctx) {
      mm.zapPteRange(this, ctx);
    }
  }

  /** anon_vma_lock_write() (lock true) / anon_vma_unlock_write(). */
  public record AnonVmaLock(boolean lock) implements Request {
    public String step() {
      return lock ? "anon_vma_lock_write" : "anon_vma_unlock_write";
    }

    @Override
    public boolean releasesLock() {
      return !lock;
    }

    public void applyTo(UserMm mm, Ctx ctx) {
      mm.anonVmaLock(this, ctx);
    }
  }
}

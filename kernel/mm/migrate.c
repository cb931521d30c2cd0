/*
 * models remove_migration_ptes() / remove_migration_pte() (mm/migrate.c, gregkh/linux
 * afb1352d): for the nr pages of folio mapped at [first, first + nr) of mm's VMA, the folio's
 * reference and rmap come first (folio_get(), folio_add_anon_rmap_pte()), then the PTE
 * (set_pte_at()), under the page-table lock.
 */
void remove_migration_ptes(struct folio *folio, unsigned long nr, struct mm_struct *mm, unsigned long first)
{
	folio_get_add_anon_rmap_ptes(folio, nr, mm);
	remove_migration_pte_range(mm, first, nr);
}

/*
 * Reviewer question (seed 004): "__folio_split() has already counted the references with
 * can_split_folio(); why must it also freeze the count, and give up with -EAGAIN when the freeze
 * fails?" The freeze and its failure path dropped: the split goes ahead on the count that
 * can_split_folio() saw, and folio_ref_unfreeze() stores the new counts as before.
 *
 * Answer (split-vs-tryget, variant split-without-freeze, with mainline's try_get_folio()): the
 * freeze is needed. can_split_folio() is a read, not a barrier: a gup-fast get that lands after it
 * and before unmap_folio() passes both of mainline's re-checks (neither page_folio() nor the PTE
 * has changed yet), and the original folio's unfreeze then overwrites the reference it took:
 * refcount-error at the unfreeze. With the freeze, a get before it makes the freeze fail (-EAGAIN:
 * the caller retries the split) and a get after it fails (folio_ref_try_add() of a frozen count),
 * and gup-fast falls back to the slow path.
 *   ./gmemsim run scenarios/split-vs-tryget.conf --variant split-without-freeze
 */
int __folio_split(struct folio *folio, int new_order, struct address_space *mapping, struct mm_struct *mm,
		  unsigned long first)
{
	bool is_anon = mapping == NULL;
	int order = folio_order(folio);
	unsigned long nr = 1 << order;
	unsigned long new_nr = 1 << new_order;
	struct folio *new_folio;
	int extra_pins;
	int ret = 0;

	if (!is_anon && !folio_mapping(folio))
		return -EBUSY;
	if (new_order >= order)
		return -EINVAL;

	if (is_anon) {
		if (!folio_get_anon_vma(folio)) {
			ret = -EBUSY;
			goto out;
		}
		anon_vma_lock_write(mm);
	}

	/* can_split_folio(): a page-cache folio's references from the cache are its extra pins */
	extra_pins = is_anon ? 0 : nr;
	if (!can_split_folio(folio, extra_pins)) {
		ret = -EAGAIN;
		goto out_unlock;
	}

	unmap_folio(folio, nr, mm, first);

	local_irq_disable();
	/* the question: can_split_folio() counted the pins above, so no freeze */
	{
		__split_unmapped_folio(folio, order, new_order, mapping);
		/*
		 * Each new folio gets the references it is expected to have (the page cache's, for a
		 * file folio) and the caller's one; the original is unfrozen last, once every slot
		 * points at its new folio, so a racing try-get on an old entry keeps failing.
		 */
		for (new_folio = folio + new_nr; new_folio < folio + nr; new_folio += new_nr) {
			if (mapping)
				__ghost_holder(mapping);
			folio_ref_unfreeze(new_folio, 1 + (is_anon ? 0 : new_nr));
		}
		if (mapping)
			__ghost_holder(mapping);
		folio_ref_unfreeze(folio, 1 + (is_anon ? 0 : new_nr));
	}
	local_irq_enable();

	remap_page(folio, nr, ret ? nr : new_nr, mm, first);

	if (ret == 0) {
		/* the new folios after lock_at: unlocked, and the caller's reference on each dropped */
		for (new_folio = folio + new_nr; new_folio < folio + nr; new_folio += new_nr) {
			folio_unlock(new_folio);
			folio_put(new_folio);
		}
	}

out_unlock:
	if (is_anon)
		anon_vma_unlock_write(mm);
out:
	return ret;
}

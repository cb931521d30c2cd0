/*
 * models madvise_collapse() of mm/khugepaged.c (gregkh/linux 6e88fe54) as far as a guest_memfd
 * mapping goes: its first check, thp_vma_allowable_order() (kernel/mm/huge_memory.c), refuses the
 * VMA before any page is scanned.
 */

/* madvise_collapse() (mm/khugepaged.c): a VMA no huge page may back is refused before anything is scanned */
int madvise_collapse(struct file *file)
{
	if (!thp_vma_allowable_order(file))
		return -EINVAL;
	/* unreachable for a guest_memfd since dd085fe9a8eb: before it, collapse_file() made a large folio */
	WARN(1, "collapse_file() is not modelled");
	return -EINVAL;
}


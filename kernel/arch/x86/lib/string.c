/*
 * models the x86-64 routines that load and store page contents, all assembly upstream
 * (arch/x86/include/asm/page_64.h clear_page() -> arch/x86/lib/clear_page_64.S, memset_64.S,
 * memcpy_64.S, copy_mc_64.S via arch/x86/lib/copy_mc.c copy_mc_to_kernel(), and copy_from_user()
 * of include/linux/uaccess.h -> copy_user_64.S; gregkh/linux, names and contracts only): each page
 * of the range is one instruction of the CPU model (arch/x86/model/insn.c), so a translation is
 * looked up once per page. A page's content is its ghost tag: a fill with byte c leaves tag c (0:
 * no data), and a source buffer outside the direct map (a user buffer, a kernel buffer) is named
 * by the tag of the data it holds.
 */

/* clear_page(): rep stosq over one page */
void clear_page(void *page)
{
	__insn_store(page, 0);
}

/* memset(): the fill, page by page */
void *memset(void *s, int c, size_t n)
{
	unsigned long off;

	for (off = 0; off < n; off += PAGE_SIZE)
		__insn_store(s + off, c);
	return s;
}

/* memcpy() from a buffer outside the direct map (named by its data) into direct-map pages */
void *memcpy(void *to, int from, size_t n)
{
	unsigned long off;

	for (off = 0; off < n; off += PAGE_SIZE)
		__insn_store(to + off, from);
	return to;
}

/*
 * copy_mc_to_kernel(): a copy that tolerates a machine check in the source (copy_mc_fragile or
 * rep movs): per page the load from src, then the store to dst. Returns the bytes not copied.
 */
unsigned long copy_mc_to_kernel(void *dst, void *src, unsigned int len)
{
	unsigned long off;
	int data;

	for (off = 0; off < len; off += PAGE_SIZE) {
		data = __insn_load(src + off);
		__insn_store(dst + off, data);
	}
	return 0;
}

/* copy_from_user(): the user buffer (named by its data) copied into kernel memory at to */
unsigned long copy_from_user(void *to, int from, unsigned long n)
{
	unsigned long off;

	for (off = 0; off < n; off += PAGE_SIZE)
		__insn_store(to + off, from);
	return 0;
}

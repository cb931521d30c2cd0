/*
 * models no upstream kernel function: the hand-off between a scenario's programs, one futex word
 * posted once (a VMM starting its vCPU threads when guest memory is loaded). futex_wait() and
 * futex_wake() are the steps on the word (kernel/futex/waitwake.c).
 */

/* futex(FUTEX_WAIT) until the word is posted */
void program_wait(u32 *uaddr)
{
	futex_wait(uaddr);
}

/* the word posted, futex(FUTEX_WAKE) of every waiter */
void program_post(u32 *uaddr)
{
	futex_wake(uaddr);
}

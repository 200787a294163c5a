/* test_util_bt.c - the bit-true model helper of test_util.h (its own
 * object, so tests that never step a PE model do not link pe_models). */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pe_bt.h"

void *tu_bt_open(const char *name, const struct pe_params *p, size_t n_in,
		 size_t n_out, const struct pe_bt_ops **ops)
{
	struct ps_err err = { "" };
	void *st;

	*ops = pe_bt_find(name);
	if (!*ops)
		fail_msg("no bit-true model '%s'", name);
	assert_int_equal((*ops)->n_in, n_in);
	assert_int_equal((*ops)->n_out, n_out);
	st = pe_bt_state_new(*ops);
	assert_non_null(st);
	if ((*ops)->init(st, p, &err) != PS_OK)
		fail_msg("%s: %s", name, err.msg);
	return st;
}

/* sim_compat.c - the BitMoD paper's analytical method (bitmod.md, "The
 * paper's evaluation method"), re-implemented exactly so that its published
 * figures come out of our inputs. Shapes, bytes and the re-fetch rule:
 * compiler/cc_compat.c.
 *
 * Timing: tiles = ceil(cin_w/lanes) * ceil(cout/rows) * ceil(rows_out/cols);
 * compute = tiles * step cycles of the PE family; DRAM cycles =
 * floor(bytes * 8 / bits_per_cycle); the op takes max(compute, DRAM). No
 * pipeline fill, no overlap across ops. */
#include <string.h>

#include "cc_compat.h"
#include "pe.h"
#include "sim.h"

enum ps_status sim_compat_op(const struct cfg_arch *a,
			     const struct wl_model *m, const struct wl_op *op,
			     int compat_attn, struct sim_op_stats *st,
			     struct ps_err *err)
{
	const struct pe_family *pe = pe_family_of(a);
	struct cc_compat_op c;
	struct pe_params pp;
	enum ps_status s;
	int ph = op->phase;

	s = cc_compat_op(a, m, op, compat_attn, &c, err);
	if (s)
		return s;
	pe_params_from_arch(a, m->name, ph, &pp);

	memset(st, 0, sizeof *st);
	st->op = *op;
	st->tiles = c.tiles * c.copies;
	st->compute_cycles = c.tiles * pe->step_cycles(&pp) * c.copies;
	st->dram_cycles = (c.read + c.write) * 8 / a->dram.bits_per_cycle * c.copies;
	st->cycles = st->compute_cycles > st->dram_cycles ? st->compute_cycles :
							   st->dram_cycles;
	st->dram_read_bytes = c.read * c.copies;
	st->dram_write_bytes = c.write * c.copies;
	st->weight_fetches = (uint32_t)c.fw;
	st->input_fetches = (uint32_t)c.fi;
	st->acts.n[ph][SIM_ACT_PE_CYCLE] =
		(double)cfg_arch_pes(a, ph) * (double)st->compute_cycles;
	st->acts.n[ph][SIM_ACT_SRAM_TILE_READ] = (double)st->tiles;
	st->acts.n[ph][SIM_ACT_SRAM_WEIGHT_WRITE64] = (double)(c.w_wr64 * c.copies);
	st->acts.n[ph][SIM_ACT_SRAM_INPUT_WRITE64] = (double)(c.i_wr64 * c.copies);
	st->acts.n[ph][SIM_ACT_DRAM_READ_BIT] = (double)st->dram_read_bytes * 8;
	st->acts.n[ph][SIM_ACT_DRAM_WRITE_BIT] = (double)st->dram_write_bytes * 8;
	return PS_OK;
}

/* sim_compat_bitmod.c - the BitMoD paper's analytical method (bitmod.md,
 * "The paper's evaluation method"), re-implemented exactly so that its
 * published figures come out of our inputs. Shapes, bytes and the re-fetch
 * rule: compiler/cc_compat.c (the compiler's compat policy shares them).
 *
 * Timing: tiles = ceil(cin_w/lanes) * ceil(cout/rows) * ceil(rows_out/cols);
 * compute = tiles * step cycles of the PE family; DRAM cycles =
 * floor(bytes * 8 / bits_per_cycle); the op takes max(compute, DRAM). No
 * pipeline fill, no overlap across ops. Every decode step of generate:L+T
 * runs at context L. */
#include <stdlib.h>
#include <string.h>

#include "cc_compat.h"
#include "pe.h"
#include "sim_compat.h"

enum ps_status sim_compat_bitmod_op(const struct cfg_arch *a,
				    const struct wl_model *m,
				    const struct wl_op *op, int compat_attn,
				    struct sim_op_stats *st,
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
	st->dram_cycles = (c.read + c.write) * 8 / cfg_arch_dram_bits(a) * c.copies;
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

/* The plan's ops of phase i, each through the op model. */
static enum ps_status bitmod_phase(const struct sim_compat_run *r, size_t i,
				   struct sim_phase_stats *ps, struct ps_err *err)
{
	const struct wl_phase *ph = &r->plan->phases[i];
	struct wl_op *ops = NULL;
	size_t n = 0;
	enum ps_status st = wl_plan_ops(r->plan, i, &ops, &n, err);
	if (st)
		return st;
	for (size_t k = 0; k < n && !st; k++) {
		struct sim_op_stats os;
		st = sim_compat_bitmod_op(r->req->arch, r->req->model, &ops[k],
					  r->req->compat_attn, &os, err);
		if (st)
			break;
		ps->cycles += os.cycles;
		ps->compute_cycles += os.compute_cycles;
		st = sim_compat_put(r, &os, wl_op_macs(&ops[k]), ph->times, err);
	}
	free(ops);
	return st;
}

const struct sim_compat_method sim_compat_bitmod = {
	.name = "bitmod",
	.paper = "BitMoD (HPCA 2025)",
	.note = "compat mode is the BitMoD paper's analytical method "
		"(no fill/drain, per-op max(compute, DRAM), no overlap across ops)",
	.decode_at_prompt = true,
	.cycle_policy = true,
	.attention = true,
	.run_phase = bitmod_phase,
};

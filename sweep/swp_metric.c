/* swp_metric.c - what a sweep records of each point: one column (and one
 * dataset) per metric, in this order, each with its units and the axis
 * label plots use. NaN where a mode does not measure it. */
#include <math.h>
#include <string.h>

#include "sim.h"
#include "swp.h"

const struct swp_metric swp_metrics[SWP_N_METRICS] = {
	{ "cycles", "cycles", "Latency (cycles)" },
	{ "compute_cycles", "cycles", "Compute cycles" },
	{ "seconds", "s", "Latency (s)" },
	{ "tokens_per_s", "tokens/s", "Throughput (tokens/s)" },
	{ "macs", "MAC", "MACs" },
	{ "energy_pj", "pJ", "Energy (pJ)" },
	{ "energy_onchip_pj", "pJ", "On-chip energy (pJ)" },
	{ "energy_compute_pj", "pJ", "Compute energy (pJ)" },
	{ "energy_sram_pj", "pJ", "SRAM energy (pJ)" },
	{ "energy_dram_pj", "pJ", "DRAM energy (pJ)" },
	{ "area_um2", "um^2", "PE-array area (um^2)" },
	{ "pe_area_um2", "um^2", "PE area (um^2)" },
	{ "pes", "", "PEs" },
	{ "utilization", "", "PE-array utilization" },
	{ "dram_read_bytes", "B", "DRAM read (B)" },
	{ "dram_write_bytes", "B", "DRAM written (B)" },
	{ "dram_bw_bits_per_cycle", "bit/cycle", "DRAM bandwidth used (bit/cycle)" },
	{ "dram_vs_compulsory", "", "DRAM traffic / compulsory traffic" },
	{ "sqnr_db", "dB", "SQNR (dB)" },
	{ "max_abs_err", "", "Max. absolute error" },
	{ "max_rel_err", "", "Max. relative error" },
	{ "cycles_closed_form", "cycles", "Closed-form cycles" },
	{ "weight_sqnr_db", "dB", "Weight quantization SQNR (dB)" },
};

const char *const swp_status_names[] = { "ok", "failed", NULL };

int swp_metric_find(const char *name)
{
	for (int i = 0; i < SWP_N_METRICS; i++)
		if (!strcmp(swp_metrics[i].name, name))
			return i;
	return -1;
}

/* Tokens the scenario processes: every new token of every phase, batch
 * included (prefill:L -> L, generate:L+T -> L + T). */
static double scenario_tokens(const struct wl_scenario *s)
{
	double per_seq = s->base == WL_PREFILL ? (double)s->prompt + s->gen : 1.0 + s->gen;
	return per_seq * (s->batch ? s->batch : 1);
}

void swp_metrics_fill(const struct sim_result *r, const struct swp_config *c,
		      double *m)
{
	int mode = c->run.mode;
	for (int i = 0; i < SWP_N_METRICS; i++)
		m[i] = NAN;
	m[0] = (double)r->cycles;
	m[2] = r->seconds;
	m[4] = (double)r->macs;
	if (c->has_model && r->seconds > 0)
		m[3] = scenario_tokens(&c->scen) / r->seconds;
	if (mode == SIM_MODE_BITTRUE) {
		m[18] = r->bt.sqnr_db;
		m[19] = r->bt.max_abs_err;
		m[20] = r->bt.max_rel_err;
		m[21] = (double)r->bt.cycles_closed_form;
		m[22] = r->bt.w_sqnr_db;
		return;
	}
	m[1] = (double)r->compute_cycles;
	m[5] = r->energy.total;
	m[6] = r->energy.onchip;
	m[7] = r->energy.compute;
	m[8] = r->energy.sram;
	m[9] = r->energy.dram;
	m[10] = r->array_area_um2;
	m[11] = r->pe_area_um2;
	m[12] = (double)r->pes;
	m[14] = (double)r->dram_read_bytes;
	m[15] = (double)r->dram_write_bytes;
	if (mode == SIM_MODE_CYCLE) {
		m[13] = r->utilization;
		m[16] = r->dram_bw_bits_per_cycle;
		if (r->dram_vs_compulsory > 0)
			m[17] = r->dram_vs_compulsory;
	}
}

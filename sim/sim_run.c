/* sim_run.c - the one run path: the workload expanded once (a plan), then
 * the mode's timing (compat per op, the cycle-level engine over the
 * compiled trace, or the bit-true stepped models), totals and pricing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_compile.h"
#include "cfg_area.h"
#include "sim.h"
#include "sim_compat.h"
#include "sim_bittrue.h"
#include "sim_engine.h"

const char *const sim_mode_names[] = { "cycle", "compat", "bit-true", NULL };
const char *const sim_compat_attn_names[] = { "published", "kv-read", NULL };

enum ps_status sim_load_energy(const struct cfg_arch *a, struct cfg_energy *e,
			       struct ps_err *err)
{
	char path[1024];
	enum ps_status st;
	cfg_energy_path(a, path, sizeof path);
	st = cfg_energy_load(path, e, err);
	if (st)
		return ps_err_prefix(err, st, "%s: energy_table '%s'", a->path,
				     a->energy_table);
	if (strcmp(e->id, a->energy_table))
		return ps_errf(err, PS_EINPUT, "%s: id '%s' does not match the file name the arch asks for ('%s')",
			       path, e->id, a->energy_table);
	return PS_OK;
}

void sim_sets_split(const struct cfg_sets *all, struct cfg_sets *arch,
		    struct cfg_sets *model, struct cfg_sets *run)
{
	static const char *const not_arch[] = { "model", "run", NULL };
	if (arch)
		cfg_sets_select(all, NULL, not_arch, arch);
	if (model)
		cfg_sets_select(all, "model", NULL, model);
	if (run)
		cfg_sets_select(all, "run", NULL, run);
}

/* Where a run's rows go: the caller's stream, or held for res->ops. */
struct row_out {
	const struct sim_request *req;
	struct sim_op_stats *ops;
	size_t n, cap;
	uint64_t bound, bound_hw;
};

static enum ps_status row_out(void *ctx, const struct sim_op_stats *s,
			      struct ps_err *err)
{
	struct row_out *o = ctx;
	enum ps_status st;
	o->bound += sim_row_bound(s) * s->times;
	o->bound_hw += (s->bound_compute > s->bound_dram ? s->bound_compute : s->bound_dram) *
		       s->times;
	if (o->req->on_row)
		return o->req->on_row(o->req->row_ctx, s, err);
	if (!o->req->keep_ops)
		return PS_OK;
	if ((st = ps_grow(&o->ops, &o->cap, o->n, sizeof *o->ops, 256, err)))
		return st;
	o->ops[o->n++] = *s;
	return PS_OK;
}

/* The rows into the result (after everything that overwrites it). */
static void rows_to_result(struct row_out *o, struct sim_result *res)
{
	free(res->ops);
	res->ops = o->ops;
	res->n_ops = o->n;
	res->bound_cycles = o->bound;
	res->bound_hw_cycles = o->bound_hw;
	o->ops = NULL;
}

uint64_t sim_row_bound(const struct sim_op_stats *s)
{
	if (s->bound_buffers)
		return s->bound_buffers;
	return s->bound_compute > s->bound_dram ? s->bound_compute : s->bound_dram;
}

double sim_row_fraction(const struct sim_op_stats *s)
{
	uint64_t b = sim_row_bound(s);
	return s->cycles && b ? (double)b / (double)s->cycles : 0;
}

static enum ps_status replay(const char *path, const struct cfg_arch *a,
			     struct sim_engine *e, struct ps_err *err)
{
	struct trace_reader *r;
	struct trace_insn in;
	enum ps_status st = trace_reader_open(&r, path, err);
	int got;
	if (st)
		return st;
	if (trace_reader_header(r)->arch_digest != a->digest) {
		trace_reader_close(r);
		return ps_errf(err, PS_EINPUT,
			       "%s: offset 16: compiled for another arch (digest %016llx, %s has %016llx)",
			       path, (unsigned long long)trace_reader_header(r)->arch_digest,
			       a->path, (unsigned long long)a->digest);
	}
	while ((got = trace_read(r, &in, err)) > 0)
		if ((st = sim_engine_put(e, &in, err)))
			break;
	trace_reader_close(r);
	if (got < 0)
		return PS_EINPUT;
	if (!st) {
		in = (struct trace_insn){ .opcode = TRACE_END };
		st = sim_engine_put(e, &in, err);
	}
	return st;
}

void sim_map_prices(const struct cfg_energy *e, struct cc_prices *pr)
{
	for (int ph = 0; ph < 2; ph++) {
		double u[SIM_ACT_N];
		energy_unit_prices(e, ph, u);
		pr[ph] = (struct cc_prices){
			.pe_cycle = u[SIM_ACT_PE_CYCLE], .tile_read = u[SIM_ACT_SRAM_TILE_READ],
			.weight_write64 = u[SIM_ACT_SRAM_WEIGHT_WRITE64],
			.input_write64 = u[SIM_ACT_SRAM_INPUT_WRITE64],
			.dram_read_bit = u[SIM_ACT_DRAM_READ_BIT],
			.dram_write_bit = u[SIM_ACT_DRAM_WRITE_BIT],
		};
	}
}

/* cycle mode: compile into the engine (or replay a trace), then price. */
static enum ps_status run_cycle(const struct sim_request *req,
				const struct cfg_energy *energy,
				const struct wl_plan *plan,
				struct sim_result *res, struct ps_err *err)
{
	struct sim_engine *e;
	struct cc_compile_stats cs = { 0 };
	struct row_out ro = { req, NULL, 0, 0, 0, 0 };
	struct sim_rows rows;
	enum ps_status st = sim_engine_create(&e, req->arch, energy,
					      req->compat_assumptions, false, err);
	if (st)
		return st;
	sim_rows_init(&rows, req->arch, energy, req->model ? req->model->name : NULL,
		      !req->compat_assumptions, row_out, &ro);
	sim_engine_set_rows(e, &rows);
	if (req->no_replay)
		sim_engine_set_memo(e, false);
	if (req->trace_path) {
		st = replay(req->trace_path, req->arch, e, err);
	} else {
		struct cc_sink sink = { .put = sim_engine_put, .ctx = e,
					.put_block = sim_engine_put_block,
					.op_note = sim_engine_op_note };
		struct cc_prices pr[2];
		struct cc_compile_req cr = {
			.arch = req->arch, .plan = plan, .sink = &sink,
			.compat = req->compat_assumptions,
			.compat_attn = req->compat_attn,
			.prices = { &pr[0], &pr[1] },
		};
		sim_map_prices(energy, pr);
		st = cc_compile(&cr, &cs, err);
	}
	if (!st) {
		char arch[64], model[64], scen[128], et[64];
		memcpy(arch, res->arch, sizeof arch);
		memcpy(model, res->model, sizeof model);
		memcpy(scen, res->scenario, sizeof scen);
		memcpy(et, res->energy_table, sizeof et);
		st = sim_engine_finish(e, res, err);
		if (!st)
			st = sim_rows_finish(&rows, err);
		rows_to_result(&ro, res);
		memcpy(res->arch, arch, sizeof arch);
		memcpy(res->model, model, sizeof model);
		memcpy(res->scenario, scen, sizeof scen);
		memcpy(res->energy_table, et, sizeof et);
		res->mode = req->mode;
		res->compat_attn = req->compat_attn;
		res->arch_digest = req->arch->digest;
		if (cs.compulsory_bytes)
			res->dram_vs_compulsory =
				(double)(cs.dram_read_bytes + cs.dram_write_bytes) /
				(double)cs.compulsory_bytes;
	}
	free(ro.ops);
	sim_rows_free(&rows);
	sim_engine_destroy(e);
	return st;
}

/* bit-true mode: the stepped models against the exact reference. */
static enum ps_status run_bittrue(const struct sim_request *req,
				  const struct wl_plan *plan,
				  struct sim_result *res, struct ps_err *err)
{
	const struct cfg_arch *a = req->arch;
	struct sim_bt_result *r = &res->bt;
	enum ps_status st;

	if (req->trace_path)
		st = sim_bittrue_trace(a, req->trace_path, r, err);
	else if (req->model)
		st = sim_bittrue_layer(a, plan, req->layer, req->seed, r, err);
	else if (req->weights)
		st = sim_bittrue_gemm_w(a, req->gemm_phase, req->M, req->K, req->N,
					req->seed, 0, req->weights, r, err);
	else
		st = sim_bittrue_gemm(a, req->gemm_phase, req->M, req->K, req->N,
				      req->seed, 0, r, err);
	if (st && st != PS_ECHECK)
		return st;
	res->cycles = r->cycles_stepped;
	res->macs = r->macs;
	res->seconds = (double)res->cycles / (a->clock_mhz * 1e6);
	return st;
}

/* compat mode: the request's paper method phase by phase, then price. */
static enum ps_status run_compat(const struct sim_request *req,
				 const struct sim_compat_method *method,
				 const struct cfg_energy *energy,
				 const struct wl_plan *plan,
				 struct sim_result *res, struct ps_err *err)
{
	const struct cfg_arch *a = req->arch;
	struct row_out ro = { req, NULL, 0, 0, 0, 0 };
	struct sim_rows rows;
	struct sim_compat_run run = { req, energy, plan, res, NULL };
	enum ps_status st = PS_OK;

	if (!req->model)
		return ps_errf(err, PS_EINPUT, "compat mode runs a model scenario (not a GEMM or a trace)");
	res->phases = calloc(plan->n_phases ? plan->n_phases : 1, sizeof *res->phases);
	if (!res->phases)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	sim_rows_init(&rows, a, energy, req->model->name, false, row_out, &ro);
	if (req->keep_ops || req->on_row)
		run.rows = &rows;
	res->n_phases = plan->n_phases;
	for (size_t i = 0; i < plan->n_phases && !st; i++) {
		struct sim_phase_stats *ps = &res->phases[i];
		uint64_t pes = cfg_arch_pes(a, plan->phases[i].kind);
		if (pes > res->pes)
			res->pes = pes;
		ps->phase = plan->phases[i];
		st = method->run_phase(&run, i, ps, err);
		res->cycles += ps->cycles * plan->phases[i].times;
		res->compute_cycles += ps->compute_cycles * plan->phases[i].times;
	}
	if (!st)
		st = sim_rows_finish(&rows, err);
	sim_rows_free(&rows);
	rows_to_result(&ro, res);
	if (!st)
		st = energy_price(energy, &res->acts, &res->energy, err);
	if (st)
		return st;
	res->pe_area_um2 = a->pe.area_um2;
	res->array_area_um2 = a->pe.area_um2 * (double)res->pes;
	cfg_area_describe(a, res->area_source, sizeof res->area_source);
	res->seconds = (double)res->cycles / (a->clock_mhz * 1e6);
	return PS_OK;
}

void sim_result_header(const struct sim_request *req, struct sim_result *res)
{
	const struct cfg_arch *a = req->arch;
	memset(res, 0, sizeof *res);
	snprintf(res->arch, sizeof res->arch, "%s", a->name);
	if (req->model)
		snprintf(res->model, sizeof res->model, "%s", req->model->name);
	else	/* a trace records digests, not the model's name */
		snprintf(res->model, sizeof res->model, "%s", req->trace_path ? "(trace)" : "gemm");
	if (req->trace_path)
		snprintf(res->scenario, sizeof res->scenario, "trace %s", req->trace_path);
	else if (req->scenario)
		snprintf(res->scenario, sizeof res->scenario, "%s", req->scenario->text);
	else
		snprintf(res->scenario, sizeof res->scenario, "%llux%llux%llu",
			 (unsigned long long)req->M, (unsigned long long)req->K,
			 (unsigned long long)req->N);
	res->mode = req->mode;
	res->compat_attn = req->compat_attn;
	if (req->mode == SIM_MODE_COMPAT || req->compat_assumptions)
		snprintf(res->compat_method, sizeof res->compat_method, "%s",
			 req->compat_method && *req->compat_method ? req->compat_method : "bitmod");
	res->arch_digest = a->digest;
	snprintf(res->energy_table, sizeof res->energy_table, "%s",
		 req->energy ? req->energy->id : a->energy_table);
	cfg_area_describe(a, res->area_source, sizeof res->area_source);
}

enum ps_status sim_run(const struct sim_request *req, struct sim_result *res,
		       struct ps_err *err)
{
	struct wl_plan plan = { 0 };
	struct cfg_energy own;
	const struct cfg_energy *energy = req->energy;
	const struct cfg_arch *a = req->arch;
	const struct sim_compat_method *method = sim_compat_find(req->compat_method);
	enum ps_status st;

	sim_result_header(req, res);
	if (!method)
		return ps_errf(err, PS_EINPUT, "unknown compat method '%s' (%s)",
			       req->compat_method, sim_compat_method_list());
	if (req->compat_assumptions && !method->cycle_policy)
		return ps_errf(err, PS_EINPUT,
			       "compat method '%s' has no cycle-mode policy (--compat-assumptions runs %s)",
			       method->name, sim_compat_bitmod.name);
	if (!energy) {
		st = sim_load_energy(a, &own, err);
		if (st)
			return st;
		energy = &own;
	}
	snprintf(res->energy_table, sizeof res->energy_table, "%s", energy->id);

	/* the workload, expanded once; every decode step of a generate runs
	 * at the prompt's context under the compat method's assumptions */
	if (req->model && req->scenario)
		st = wl_plan_model(req->model, req->scenario,
				   (req->mode == SIM_MODE_COMPAT && method->decode_at_prompt) ||
				   req->compat_assumptions,
				   &plan, err);
	else if (!req->trace_path)
		st = wl_plan_gemm(req->M, req->K, req->N, req->gemm_phase, &plan, err);
	else
		st = PS_OK;
	if (!st) {
		switch (req->mode) {
		case SIM_MODE_CYCLE:
			st = run_cycle(req, energy, &plan, res, err);
			break;
		case SIM_MODE_COMPAT:
			st = run_compat(req, method, energy, &plan, res, err);
			break;
		case SIM_MODE_BITTRUE:
			st = run_bittrue(req, &plan, res, err);
			break;
		default:
			st = ps_errf(err, PS_EINPUT, "unknown mode %d", req->mode);
		}
	}
	wl_plan_free(&plan);
	if (!st && req->mode != SIM_MODE_BITTRUE)
		for (size_t i = 0; i < a->n_buffers; i++)
			res->buffer_area_um2 += a->buffers[i].area_um2;
	if (st && st != PS_ECHECK)
		sim_result_free(res);
	return st;
}

void sim_result_free(struct sim_result *res)
{
	free(res->phases);
	free(res->ops);
	res->phases = NULL;
	res->ops = NULL;
	res->n_phases = res->n_ops = 0;
}

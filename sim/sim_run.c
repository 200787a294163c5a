/* sim_run.c - scenario -> phases -> ops -> per-op timing -> totals -> pricing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_compile.h"
#include "sim.h"
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

static void add_acts(struct sim_actions *dst, const struct sim_actions *src,
		     double times)
{
	for (int p = 0; p < 2; p++)
		for (int a = 0; a < SIM_ACT_N; a++)
			dst->n[p][a] += src->n[p][a] * times;
}

static enum ps_status run_phase(const struct sim_request *req,
				const struct cfg_energy *energy,
				const struct wl_phase *ph,
				struct sim_phase_stats *ps,
				struct sim_result *res, size_t *ops_cap,
				struct ps_err *err)
{
	struct wl_op *ops = NULL;
	size_t n = 0;
	enum ps_status st = wl_phase_ops(req->model, ph, &ops, &n, err);
	if (st)
		return st;
	ps->phase = *ph;
	for (size_t i = 0; i < n; i++) {
		struct sim_op_stats os;
		st = sim_compat_op(req->arch, req->model, &ops[i],
				   req->compat_attn, &os, err);
		if (st)
			break;
		os.times = ph->times;
		ps->cycles += os.cycles;
		ps->compute_cycles += os.compute_cycles;
		res->dram_read_bytes += os.dram_read_bytes * ph->times;
		res->dram_write_bytes += os.dram_write_bytes * ph->times;
		res->macs += wl_op_macs(&ops[i]) * ph->times;
		add_acts(&res->acts, &os.acts, ph->times);
		if (!req->keep_ops)
			continue;
		{
			struct energy_breakdown eb;
			st = energy_price(energy, &os.acts, &eb, err);
			if (st)
				break;
			os.energy_pj = eb.total;
		}
		if (res->n_ops == *ops_cap) {
			size_t cap = *ops_cap ? *ops_cap * 2 : 256;
			void *p = realloc(res->ops, cap * sizeof *res->ops);
			if (!p) {
				st = ps_errf(err, PS_ENOMEM, "out of memory");
				break;
			}
			res->ops = p;
			*ops_cap = cap;
		}
		res->ops[res->n_ops++] = os;
	}
	free(ops);
	if (st)
		return st;
	res->cycles += ps->cycles * ph->times;
	res->compute_cycles += ps->compute_cycles * ph->times;
	return PS_OK;
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

/* cycle mode: compile into the engine (or replay a trace), then price. */
static enum ps_status run_cycle(const struct sim_request *req,
				const struct cfg_energy *energy,
				struct sim_result *res, struct ps_err *err)
{
	struct sim_engine *e;
	enum ps_status st = sim_engine_create(&e, req->arch, energy,
					      req->compat_assumptions,
					      req->keep_ops, err);
	if (st)
		return st;
	if (req->trace_path) {
		st = replay(req->trace_path, req->arch, e, err);
	} else {
		struct cc_sink sink = { sim_engine_put, e };
		struct cc_compile_req cr = {
			.arch = req->arch, .model = req->model,
			.scenario = req->scenario, .M = req->M, .K = req->K,
			.N = req->N, .sink = &sink,
			.compat = req->compat_assumptions,
			.compat_attn = req->compat_attn,
		};
		struct cc_compile_stats cs;
		st = cc_compile(&cr, &cs, err);
	}
	if (!st) {
		char arch[64], model[64], scen[128], et[64];
		memcpy(arch, res->arch, sizeof arch);
		memcpy(model, res->model, sizeof model);
		memcpy(scen, res->scenario, sizeof scen);
		memcpy(et, res->energy_table, sizeof et);
		st = sim_engine_finish(e, res, err);
		memcpy(res->arch, arch, sizeof arch);
		memcpy(res->model, model, sizeof model);
		memcpy(res->scenario, scen, sizeof scen);
		memcpy(res->energy_table, et, sizeof et);
		res->mode = req->mode;
		res->compat_attn = req->compat_attn;
		res->arch_digest = req->arch->digest;
	}
	sim_engine_destroy(e);
	return st;
}

enum ps_status sim_run(const struct sim_request *req, struct sim_result *res,
		       struct ps_err *err)
{
	struct wl_phase *phases;
	struct cfg_energy own;
	const struct cfg_energy *energy = req->energy;
	const struct cfg_arch *a = req->arch;
	size_t np = 0, ops_cap = 0;
	enum ps_status st;

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
	res->arch_digest = a->digest;
	if (!energy) {
		st = sim_load_energy(a, &own, err);
		if (st)
			return st;
		energy = &own;
	}
	snprintf(res->energy_table, sizeof res->energy_table, "%s", energy->id);
	if (req->mode == SIM_MODE_CYCLE)
		return run_cycle(req, energy, res, err);
	if (req->mode == SIM_MODE_BITTRUE)
		return ps_errf(err, PS_EINPUT, "bit-true mode runs through sim_bittrue.h");
	if (!req->model || !req->scenario)
		return ps_errf(err, PS_EINPUT, "compat mode runs a model scenario (not a GEMM or a trace)");

	/* The compat method runs every decode step at the prompt's context. */
	phases = calloc(WL_MAX_PHASES, sizeof *phases);
	if (!phases)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = wl_scenario_phases(req->scenario, req->model,
				req->mode == SIM_MODE_COMPAT, phases,
				WL_MAX_PHASES, &np, err);
	res->phases = st ? NULL : calloc(np ? np : 1, sizeof *res->phases);
	if (!st && !res->phases)
		st = ps_errf(err, PS_ENOMEM, "out of memory");
	if (st) {
		free(phases);
		return st;
	}
	res->n_phases = np;
	for (size_t i = 0; i < np; i++) {
		uint64_t pes = cfg_arch_pes(a, phases[i].kind);
		if (pes > res->pes)
			res->pes = pes;
		st = run_phase(req, energy, &phases[i], &res->phases[i], res,
			       &ops_cap, err);
		if (st)
			break;
	}
	free(phases);
	if (st) {
		sim_result_free(res);
		return st;
	}
	st = energy_price(energy, &res->acts, &res->energy, err);
	if (st) {
		sim_result_free(res);
		return st;
	}
	res->pe_area_um2 = a->pe.area_um2;
	res->array_area_um2 = a->pe.area_um2 * (double)res->pes;
	snprintf(res->area_source, sizeof res->area_source, "%s", a->pe.area_source);
	res->seconds = (double)res->cycles / (a->clock_mhz * 1e6);
	return PS_OK;
}

void sim_result_free(struct sim_result *res)
{
	free(res->phases);
	free(res->ops);
	res->phases = NULL;
	res->ops = NULL;
	res->n_phases = res->n_ops = 0;
}

/* cmd_run.c - `pesim run`: one model scenario on one architecture. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "cfg_yaml.h"
#include "cli.h"
#include "cli_work.h"
#include "ps_file.h"
#include "ps_progress.h"
#include "sim.h"
#include "sim_compat.h"
#include "ps_json.h"
#include "sim_out.h"
#include "wl_tensor.h"

/* --json and --h5 take the rows as they complete (sim_request.on_row). */
struct stream {
	bool json;
	struct ps_json j;
	struct sim_result hdr;
	struct sim_h5 *h5;
	uint64_t rows;
};

static enum ps_status stream_row(void *ctx, const struct sim_op_stats *row,
				 struct ps_err *err)
{
	struct stream *o = ctx;
	if (o->json)
		sim_json_op(&o->j, &o->hdr, o->rows, row);
	o->rows++;
	return o->h5 ? sim_h5_op(o->h5, row, err) : PS_OK;
}

/* Bit-true weights are FP16 data: a value FP16 cannot hold (or NaN) would
 * turn the reference into inf and the error figures into nonsense. */
static enum ps_status weights_in_fp16_range(const char *path, const struct wl_tensor *t,
					    struct ps_err *err)
{
	const float *w = t->data;
	uint64_t n = wl_tensor_numel(t);
	for (uint64_t i = 0; i < n; i++)
		if (!(fabsf(w[i]) <= 65504.0f))
			return ps_errf(err, PS_EINPUT,
				       "%s: weight [%llu, %llu] = %g is outside FP16's range (|w| <= 65504)",
				       path, (unsigned long long)(i / t->shape[1]),
				       (unsigned long long)(i % t->shape[1]), (double)w[i]);
	return PS_OK;
}

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim run --arch FILE (--model NAME|FILE --scenario S | --gemm MxKxN\n"
		"                 | --trace FILE.pest) [options]\n\n"
		"Simulates the workload on the architecture and prints cycles, energy\n"
		"(priced by the arch's energy table) and area.\n\n"
		"  --arch FILE          arch config (configs/arch/...)\n"
		"  --model NAME|FILE    zoo model (see 'pesim models') or a model YAML\n"
		"  --scenario S         prefill:L | decode:C | generate:L+T, optionally\n"
		"                       ',batch:B' (e.g. decode:1024,batch:8)\n"
		"  --gemm MxKxN         one GEMM instead of a model (cycle mode)\n"
		"  --trace FILE         replay a compiled trace (cycle mode)\n"
		"  --mode MODE          cycle (default): compile and run the cycle-level\n"
		"                       engine; compat: a paper's analytical method\n"
		"                       (--compat-method, default the BitMoD paper's);\n"
		"                       bit-true: generated data through the PE family's\n"
		"                       stepped model against an exact reference GEMM\n"
		"                       (--gemm, --model --layer L --scenario S, or\n"
		"                       --trace g.pest compiled with --bit-true)\n"
		"  --seed N             bit-true: data generator seed (default 1)\n"
		"  --layer L            bit-true: the layer whose linears run (default 0)\n"
		"  --decode             bit-true --gemm: use the decode array and quantizer\n"
		"  --weights FILE       bit-true: weights [N, K] from .npy or .safetensors\n"
		"                       (--tensor NAME), with --tokens M activation rows\n"
		"  --compat-assumptions cycle mode under the compat method's assumptions\n"
		"                       (one tile per op with its bytes, no fill/drain,\n"
		"                       per-op max(compute, DRAM), no overlap across ops)\n"
		"  --compat-method NAME bitmod (default) | mixpe: whose method compat mode\n"
		"                       runs (README \"Compat methods\")\n"
		"  --compat-attn A      published (default; decode reads no KV cache) |\n"
		"                       kv-read (decode attention streams the KV cache)\n"
		"  --map-objective O    cycles | traffic | energy: what the mapper\n"
		"                       minimizes first (default: the arch's mapper.objective)\n"
		"  --ops                also print one row per op\n"
		"  --json               one JSON object on stdout (with per-op rows)\n"
		"  --h5 FILE            write the result as HDF5 (README: HDF5 layout)\n"
		"  --set PATH=VALUE     override an arch field (array.prefill.rows=64,\n"
		"                       buffers.input.size_kib=1024) or, as model.KEY, a\n"
		"                       key of the model's YAML; checked like the file\n"
		CLI_HELP_COMMON);
}

int cmd_run(int argc, char **argv)
{
	const char *h5 = NULL, *trace = NULL, *weights = NULL, *tensor = NULL;
	const char *method = NULL;
	int mode = SIM_MODE_CYCLE, attn = SIM_ATTN_PUBLISHED, c, compat_as = 0;
	uint64_t M = 0, K = 0, N = 0, tokens = 16, layer = 0;
	struct cli_opts p;
	int have_t = 0, rc;
	int json = 0, ops = 0, code = 0;
	struct wl_tensor t;
	static struct cli_work w;
	struct sim_result r;
	struct stream out = { 0 };
	struct ps_err err;
	enum ps_status st;

	cli_opts_init(&p, "run",
		      "mode,M: compat-attn,A: compat-method,P: ops,o "
		      "trace,t: compat-assumptions,C layer,L: weights,W: "
		      "tensor,T: tokens,K: json,j h5,H:",
		      "h", help);
	cli_work_init(&w, &p);
	while ((c = cli_work_getopt(&w, &p, argc, argv)) != -1) {
		switch (c) {
		case 'M':
			mode = cfg_enum_find(sim_mode_names, optarg);
			if (mode < 0)
				return cli_usage_error("run", "unknown --mode '%s' (cycle | compat | bit-true)", optarg);
			break;
		case 'A':
			attn = cfg_enum_find(sim_compat_attn_names, optarg);
			if (attn < 0)
				return cli_usage_error("run", "unknown --compat-attn '%s' (published | kv-read)", optarg);
			break;
		case 'P':
			if (!sim_compat_find(optarg))
				return cli_usage_error("run", "unknown --compat-method '%s' (%s)",
						       optarg, sim_compat_method_list());
			method = optarg;
			break;
		case 'o': ops = 1; break;
		case 't': trace = optarg; break;
		case 'C': compat_as = 1; break;
		case 'W': weights = optarg; break;
		case 'T': tensor = optarg; break;
		case 'K':
			if (cli_u64(&p, optarg, 1, UINT32_MAX, &tokens))
				return 2;
			break;
		case 'L':
			if (cli_u64(&p, optarg, 0, UINT32_MAX - 1, &layer))
				return 2;
			break;
		case 'j': json = 1; break;
		case 'H': h5 = optarg; break;
		default: return cli_done(c);
		}
	}
	if (optind < argc)
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (weights && (mode != SIM_MODE_BITTRUE || !w.arch_path || w.model || w.gemm || trace))
		return cli_usage_error("run", "--weights runs in bit-true mode with --arch only");
	if (!weights && (!w.arch_path || (!!w.model + !!w.gemm + !!trace) != 1 || (w.model && !w.scen)))
		return cli_usage_error("run", "--arch and one of --model with --scenario, --gemm or --trace are required");
	if (trace && mode == SIM_MODE_COMPAT)
		return cli_usage_error("run", "--trace runs in cycle or bit-true mode");
	if (w.gemm && mode == SIM_MODE_COMPAT)
		return cli_usage_error("run", "--gemm runs in cycle or bit-true mode");
	if (mode == SIM_MODE_BITTRUE && (h5 || ops || compat_as))
		return cli_usage_error("run", "%s applies to cycle and compat mode, not bit-true",
				       h5 ? "--h5" : ops ? "--ops" : "--compat-assumptions");
	if (h5) {	/* refuse a bad target before the work, not after */
		char real[PATH_MAX];
		if ((st = ps_out_target(h5, real, sizeof real, &err)))
			return cli_fail("run", st, &err);
	}
	if (weights && tensor && !(strlen(weights) > 12 &&
				   !strcmp(weights + strlen(weights) - 12, ".safetensors")))
		return cli_usage_error("run", "--tensor names a tensor of a .safetensors file; %s is read as .npy",
				       weights);
	if ((rc = cli_work_gemm(&w, "run")) || (rc = cli_work_arch(&w, "run")) ||
	    (rc = cli_work_model(&w, "run")))
		return rc;
	M = w.M;
	K = w.K;
	N = w.N;
	if (weights) {
		size_t n = strlen(weights);
		st = n > 12 && !strcmp(weights + n - 12, ".safetensors") ?
			     wl_safetensors_load(weights, tensor, &t, &err) :
			     wl_npy_load(weights, &t, &err);
		if (st)
			return cli_fail("run", st, &err);
		have_t = 1;
		if (t.ndim != 2) {
			wl_tensor_free(&t);
			return cli_usage_error("run", "%s: weights must be 2-D [N, K]", weights);
		}
		if ((st = weights_in_fp16_range(weights, &t, &err))) {
			wl_tensor_free(&t);
			return cli_fail("run", st, &err);
		}
		M = tokens;
		K = t.shape[1];
		N = t.shape[0];
	}
	{
		struct sim_request rq = {
			.arch = &w.arch, .model = w.model ? &w.m : NULL,
			.scenario = w.model ? &w.s : NULL, .M = M, .K = K, .N = N,
			.gemm_phase = w.decode ? WL_DECODE : WL_PREFILL,
			.trace_path = trace, .mode = mode, .compat_attn = attn,
			.compat_method = method,
			.compat_assumptions = compat_as,
			.keep_ops = ops && !json,
			.seed = w.seed, .layer = (uint32_t)layer,
			.weights = have_t ? t.data : NULL,
		};
		/* --json and --h5 stream the rows as the run makes them */
		if (mode != SIM_MODE_BITTRUE && (json || h5)) {
			sim_result_header(&rq, &out.hdr);
			rq.on_row = stream_row;
			rq.row_ctx = &out;
			out.json = json;
			if (h5 && (st = sim_h5_begin(h5, &out.hdr, &out.h5, &err)))
				return cli_fail("run", st, &err);
			if (json)
				sim_json_begin(&out.j, stdout, &out.hdr);
		}
		/* a replayed trace: the engine's tiles, total unknown */
		struct ps_progress *bar = trace && mode == SIM_MODE_CYCLE ?
			ps_progress_begin("simulate", "tiles", 0) : NULL;
		st = sim_run(&rq, &r, &err);
		ps_progress_end(bar);
	}
	if (have_t)
		wl_tensor_free(&t);
	if (st && !(st == PS_ECHECK && mode == SIM_MODE_BITTRUE)) {
		sim_h5_abort(out.h5);
		return cli_fail("run", st, &err);
	}
	if (json && mode != SIM_MODE_BITTRUE) {
		sim_json_end(&out.j, &r);
	} else if (json) {
		sim_print_json(stdout, &r);
	} else {
		struct sim_result shown = r;
		if (!ops)
			shown.n_ops = 0;
		sim_print_table(stdout, &shown);
	}
	if (st)	/* bit-true: stepping and the closed form disagree */
		code = cli_fail("run", st, &err);
	else if (out.h5 && (st = sim_h5_end(out.h5, &r, &err)))
		code = cli_fail("run", st, &err);
	sim_result_free(&r);
	return code;
}

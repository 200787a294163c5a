/* cmd_quant.c - `pesim quant`: quantize weights with every format and
 * report the error (stored bits per weight, MSE, SQNR). */
#include <limits.h>	/* first: it defines __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "cli.h"
#include "ps_json.h"
#include "ps_progress.h"
#include "wl_model.h"
#include "wl_tensor.h"

#define MAX_SPECS 64
#define MAX_MATS 16

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim quant (--model NAME --layer L [--linear LIST] [--seed S]\n"
		"                    | --npy FILE | --safetensors FILE [--tensor NAME])\n"
		"                   (--bits B | --formats LIST) [--json]\n"
		"       pesim quant --list\n\n"
		"Quantizes weight matrices [N, K] (groups along K) with each format and\n"
		"prints stored bits per weight (scales and metadata included), MSE and\n"
		"SQNR = 10 log10(sum w^2 / sum (w - w_q)^2) in dB over all matrices.\n\n"
		"  --model, --layer  generate that layer's linears at the zoo dims with\n"
		"                    the seeded LLM-like generator (workloads/wl_gen.c);\n"
		"                    each matrix's seed is derived from (S, layer, linear)\n"
		"  --linear LIST     q,k,v,o,gate,up,down (gated FFN) or fc1,fc2 (plain);\n"
		"                    default all\n"
		"  --seed S          generator seed (default 1)\n"
		"  --npy, --safetensors  a tensor from a file; leading dims are rows\n"
		"  --bits B          every default format at B bits (1, 2, 3, 4, 6, 8)\n"
		"  --formats LIST    comma-separated quantizers, e.g.\n"
		"                    int4-g128,int4a-g128,bitmod4,flint4,ant4,olive4,\n"
		"                    nm2of16-int4,lut-int2,mixpe-int4-g128\n"
		"                    (grammar in compiler/cc_quant.h)\n"
		"  --list            the numeric formats (pe_models/formats/fmt.def)\n"
		CLI_HELP_COMMON);
}

static void list_formats(void)
{
	printf("%-16s %4s %7s  %s\n", "format", "bits", "values", "summary");
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_desc *d = fmt_get(id);
		char nv[16];
		if (d->n_values)
			snprintf(nv, sizeof nv, "%d", d->n_values);
		else
			snprintf(nv, sizeof nv, "%u", d->n_codes);
		printf("%-16s %4d %7s  %s\n", d->name, d->bits, nv, d->summary);
	}
}

struct mat {
	char name[128];
	uint64_t n, k;
	uint64_t seed;		/* generated matrices */
};

/* One matrix's seed: splitmix64 of (seed, layer, linear index), so every
 * linear of every layer differs and each is reproducible on its own. */
static uint64_t mat_seed(uint64_t seed, uint32_t layer, int idx)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull * ((uint64_t)layer * 64 + (uint64_t)idx + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int model_mats(const struct wl_model *m, uint32_t layer, uint64_t seed,
		      const char *lin, struct mat *mats, int *nm)
{
	uint64_t h = m->hidden, q = wl_q_dim(m), kv = wl_kv_dim(m), f = m->ffn;
	const struct { const char *name; uint64_t n, k; bool gated; } all[] = {
		{ "q", q, h, false }, { "k", kv, h, false }, { "v", kv, h, false },
		{ "o", h, q, false }, { "gate", f, h, true }, { "up", f, h, true },
		{ "down", h, f, true }, { "fc1", f, h, false }, { "fc2", h, f, false },
	};
	bool gated = m->ffn_kind == WL_FFN_GATED && m->kind == WL_DECODER;
	*nm = 0;
	for (int i = 0; i < 9; i++) {
		bool ffn = i >= 4;
		if (ffn && (i < 7) != gated)
			continue;	/* gate/up/down vs fc1/fc2 */
		if (strcmp(lin, "all")) {
			const char *p = lin;
			size_t l = strlen(all[i].name);
			bool hit = false;
			while (*p) {
				size_t n = strcspn(p, ",");
				if (n == l && !strncmp(p, all[i].name, l))
					hit = true;
				p += n + (p[n] == ',');
			}
			if (!hit)
				continue;
		}
		snprintf(mats[*nm].name, sizeof mats[*nm].name, "%s", all[i].name);
		mats[*nm].n = all[i].n;
		mats[*nm].k = all[i].k;
		mats[*nm].seed = mat_seed(seed, layer, i);
		(*nm)++;
	}
	return *nm ? 0 : -1;
}

/* Per-format totals over all matrices, plus what the note summarizes. */
struct agg {
	struct cc_qstats st;
	double bits_x_n;
	struct cc_qnote note;
};

static void aggregate(struct agg *a, const struct cc_qtensor *t, const char *mat)
{
	cc_qstats_add(&a->st, &t->st);
	a->bits_x_n += t->stored_bits * (double)(t->n * t->k);
	cc_qnote_add(&a->note, t, mat);
}

static int parse_formats(const char *list, struct fmt_qspec *specs, int *ns,
			 struct ps_err *err)
{
	char buf[64];
	const char *p = list;
	*ns = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof buf || *ns == MAX_SPECS) {
			ps_errf(err, PS_EINPUT, "--formats: bad list '%s'", list);
			return -1;
		}
		memcpy(buf, p, n);
		buf[n] = 0;
		if (fmt_qspec_parse(buf, &specs[*ns], err))
			return -1;
		(*ns)++;
		p += n + (p[n] == ',');
	}
	return *ns ? 0 : -1;
}

static void print_results(bool json, const char *src, const struct mat *mats,
			  int nm, const struct fmt_qspec *specs, int ns,
			  const struct agg *ag, uint64_t total)
{
	if (json) {
		struct ps_json j;
		ps_json_init(&j, stdout);
		ps_json_obj_begin(&j, NULL);
		ps_json_provenance(&j);
		ps_json_str(&j, "source", src);
		ps_json_u64(&j, "weights", total);
		ps_json_arr_begin(&j, "matrices");
		for (int i = 0; i < nm; i++) {
			ps_json_obj_begin(&j, NULL);
			ps_json_str(&j, "name", mats[i].name);
			ps_json_u64(&j, "n", mats[i].n);
			ps_json_u64(&j, "k", mats[i].k);
			ps_json_obj_end(&j);
		}
		ps_json_arr_end(&j);
		ps_json_arr_begin(&j, "formats");
		for (int f = 0; f < ns; f++) {
			ps_json_obj_begin(&j, NULL);
			ps_json_str(&j, "format", specs[f].name);
			ps_json_num(&j, "bits_per_weight", ag[f].bits_x_n / (double)total);
			ps_json_num(&j, "mse", ag[f].st.mse);
			if (isfinite(ag[f].st.sqnr_db))	/* JSON has no inf */
				ps_json_num(&j, "sqnr_db", ag[f].st.sqnr_db);
			else
				ps_json_str(&j, "sqnr_db", ag[f].st.sqnr_db > 0 ? "inf" : "-inf");
			ps_json_str(&j, "note", ag[f].note.text);
			ps_json_obj_end(&j);
		}
		ps_json_arr_end(&j);
		ps_json_obj_end(&j);
		return;
	}
	printf("%s: %llu weights in", src, (unsigned long long)total);
	for (int i = 0; i < nm; i++)
		printf(" %s[%llux%llu]", mats[i].name, (unsigned long long)mats[i].n,
		       (unsigned long long)mats[i].k);
	printf("\n\n%-20s %8s %11s %8s  %s\n", "format", "bits/w", "MSE", "SQNR dB", "note");
	for (int f = 0; f < ns; f++)
		printf("%-20s %8.4f %11.4e %8.3f%s%s\n", specs[f].name,
		       ag[f].bits_x_n / (double)total, ag[f].st.mse, ag[f].st.sqnr_db,
		       ag[f].note.text[0] ? "  " : "", ag[f].note.text);
}

int cmd_quant(int argc, char **argv)
{
	const char *model = NULL, *npy = NULL, *sft = NULL, *tname = NULL;
	const char *formats = NULL, *lin = "all";
	uint64_t layer = UINT64_MAX, seed = 1, bits = 0, total = 0;
	struct fmt_qspec specs[MAX_SPECS];
	struct agg *ag = NULL;
	struct mat mats[MAX_MATS];
	struct wl_tensor ft;
	struct ps_err err;
	char src[256];
	enum ps_status st = PS_OK;
	int c, ns = 0, nm = 0, rc = 0;
	bool json = false;
	struct cli_opts p;
	struct ps_progress *bar;
	uint64_t work = 0;

	memset(&ft, 0, sizeof ft);
	cli_opts_init(&p, "quant",
		      "model,m: layer,L: linear,l: seed,S: npy,n: "
		      "safetensors,s: tensor,t: bits,b: formats,f: json,j "
		      "list,T",
		      "h", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'm': model = optarg; break;
		case 'l': lin = optarg; break;
		case 'n': npy = optarg; break;
		case 's': sft = optarg; break;
		case 't': tname = optarg; break;
		case 'f': formats = optarg; break;
		case 'j': json = true; break;
		case 'T': list_formats(); return 0;
		case 'L':
			if (cli_u64(&p, optarg, 0, UINT32_MAX - 1, &layer))
				return 2;
			break;
		case 'S':
			if (cli_u64(&p, optarg, 0, UINT64_MAX, &seed))
				return 2;
			break;
		case 'b':
			if (cli_u64(&p, optarg, 1, 8, &bits))
				return 2;
			break;
		default:
			return cli_done(c);
		}
	}
	if (optind < argc)
		return cli_usage_error("quant", "unexpected argument '%s'", argv[optind]);
	if (!!model + !!npy + !!sft != 1)
		return cli_usage_error("quant", "give one of --model, --npy, --safetensors");
	if (!!bits == !!formats)
		return cli_usage_error("quant", "give one of --bits and --formats");
	if (tname && !sft)
		return cli_usage_error("quant", "--tensor needs --safetensors");
	if (formats) {
		if (parse_formats(formats, specs, &ns, &err))
			return cli_fail("quant", PS_EINPUT, &err);
	} else if (!(ns = fmt_qspec_defaults((int)bits, specs, MAX_SPECS))) {
		return cli_usage_error("quant", "no default formats at %llu bits; use --formats",
				       (unsigned long long)bits);
	}

	if (model) {
		struct wl_model m;
		if (layer == UINT64_MAX)
			return cli_usage_error("quant", "--model needs --layer");
		if ((st = wl_model_find(model, &m, &err)))
			return cli_fail("quant", st, &err);
		if (layer >= m.layers)
			return cli_usage_error("quant", "--layer %llu: %s has %u layers",
					       (unsigned long long)layer, m.name, m.layers);
		if (model_mats(&m, (uint32_t)layer, seed, lin, mats, &nm))
			return cli_usage_error("quant", "--linear '%s' selects no linear of %s",
					       lin, m.name);
		snprintf(src, sizeof src, "%s layer %llu (generated, seed %llu)", m.name,
			 (unsigned long long)layer, (unsigned long long)seed);
	} else {
		st = npy ? wl_npy_load(npy, &ft, &err) : wl_safetensors_load(sft, tname, &ft, &err);
		if (st)
			return cli_fail("quant", st, &err);
		uint64_t numel = wl_tensor_numel(&ft);
		nm = 1;
		mats[0].k = ft.ndim ? ft.shape[ft.ndim - 1] : 1;
		mats[0].n = mats[0].k ? numel / mats[0].k : 0;
		snprintf(mats[0].name, sizeof mats[0].name, "%s", ft.name);
		snprintf(src, sizeof src, "%s", npy ? npy : sft);
	}

#ifdef __GLIBC__
	/* Each quantizer allocates and frees arrays of hundreds of MB; served
	 * by mmap, every round would fault its pages in afresh (a fifth of the
	 * run time on a 7B layer). Keep them in the heap instead. */
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
	ag = calloc((size_t)ns, sizeof *ag);
	if (!ag) {
		wl_tensor_free(&ft);
		ps_errf(&err, PS_ENOMEM, "out of memory");
		return cli_fail("quant", PS_ENOMEM, &err);
	}
	for (int i = 0; i < nm; i++)
		work += mats[i].n * mats[i].k * (uint64_t)ns;
	bar = ps_progress_begin("quant", "weights", work);
	for (int i = 0; i < nm && !st; i++) {
		float *w = ft.data;
		if (model) {
			w = malloc((mats[i].n && mats[i].k ? mats[i].n * mats[i].k : 1) * sizeof *w);
			if (!w) {
				st = ps_errf(&err, PS_ENOMEM, "out of memory for %s", mats[i].name);
				break;
			}
			st = wl_gen_weights(mats[i].seed, mats[i].n, mats[i].k, NULL, w, &err);
		}
		for (int f = 0; f < ns && !st; f++) {
			struct cc_qtensor t;
			st = cc_quantize(&specs[f], w, mats[i].n, mats[i].k, &t, &err);
			if (!st)
				aggregate(&ag[f], &t, mats[i].name);
			cc_qtensor_free(&t);
			ps_progress_add(bar, mats[i].n * mats[i].k);
		}
		total += mats[i].n * mats[i].k;
		if (model)
			free(w);
	}
	ps_progress_end(bar);
	if (st) {
		rc = cli_fail("quant", st, &err);
	} else if (!total) {
		rc = cli_usage_error("quant", "the tensor is empty");
	} else {
		print_results(json, src, mats, nm, specs, ns, ag, total);
	}
	free(ag);
	wl_tensor_free(&ft);
	return rc;
}

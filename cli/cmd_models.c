/* cmd_models.c - `pesim models`: the zoo with parameter counts computed from
 * the dims. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ps_json.h"
#include "wl_model.h"

static void help(FILE *fp)
{
	fprintf(fp, "usage: pesim models [--json]\n\n"
		    "Lists the model zoo (%s): dims and parameter count computed\n"
		    "from them. --json prints one JSON object.\n" CLI_HELP_COMMON, wl_zoo_dir());
}

int cmd_models(int argc, char **argv)
{
	struct wl_model *ms = NULL;
	struct ps_err err;
	size_t n = 0;
	int json = 0, c;
	enum ps_status st;
	struct cli_opts p;

	cli_opts_init(&p, "models", "json,j", "h", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return cli_done(c);
	}
	if (optind < argc)
		return cli_usage_error("models", "unexpected argument '%s'", argv[optind]);
	st = wl_zoo_list(&ms, &n, &err);
	if (st)
		return cli_fail("models", st, &err);
	if (json) {
		struct ps_json j;
		ps_json_init(&j, stdout);
		ps_json_obj_begin(&j, NULL);
		ps_json_provenance(&j);
		ps_json_arr_begin(&j, "models");
		for (size_t i = 0; i < n; i++) {
			const struct wl_model *m = &ms[i];
			ps_json_obj_begin(&j, NULL);
			ps_json_str(&j, "name", m->name);
			ps_json_str(&j, "display", m->display);
			ps_json_str(&j, "kind", m->kind == WL_ENCODER ? "encoder" : "decoder");
			ps_json_u64(&j, "params", wl_model_params(m));
			ps_json_u64(&j, "hidden", m->hidden);
			ps_json_u64(&j, "layers", m->layers);
			ps_json_u64(&j, "heads", m->heads);
			ps_json_u64(&j, "kv_heads", m->kv_heads);
			ps_json_u64(&j, "head_dim", m->head_dim);
			ps_json_u64(&j, "ffn", m->ffn);
			ps_json_str(&j, "ffn_kind", m->ffn_kind == WL_FFN_GATED ? "gated" : "plain");
			ps_json_u64(&j, "vocab", m->vocab);
			ps_json_bool(&j, "uncertain", m->uncertain);
			ps_json_obj_end(&j);
		}
		ps_json_arr_end(&j);
		ps_json_obj_end(&j);
	} else {
		printf("%-18s %-18s %10s %6s %6s %5s %4s %6s %6s %7s\n", "name",
		       "model", "params", "hidden", "layers", "heads", "kv",
		       "ffn", "kind", "vocab");
		for (size_t i = 0; i < n; i++) {
			const struct wl_model *m = &ms[i];
			double p = (double)wl_model_params(m);
			char ps[32];
			if (p >= 1e9)
				snprintf(ps, sizeof ps, "%.2f B", p / 1e9);
			else
				snprintf(ps, sizeof ps, "%.1f M", p / 1e6);
			printf("%-18s %-18s %10s %6u %6u %5u %4u %6u %6s %7u%s\n",
			       m->name, m->display, ps, m->hidden, m->layers,
			       m->heads, m->kv_heads, m->ffn,
			       m->kind == WL_ENCODER ? "enc" :
			       m->ffn_kind == WL_FFN_GATED ? "gated" : "plain",
			       m->vocab, m->uncertain ? "  [dims uncertain]" : "");
		}
	}
	free(ms);
	return 0;
}

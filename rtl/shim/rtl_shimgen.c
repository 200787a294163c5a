/* rtl_shimgen.c - writes the C++ shim of one Verilated model (rtl_shim.inc
 * instantiated, rtl_<name>_shim.h) to stdout, for rtl/meson.build: one
 * run per model; rtl_shims.cpp includes them all.
 *
 *   rtl_shimgen --name NAME --top TOP [--clock PORT] [--reset PORT]
 *               (--golden MODEL | --in P:W,... --out P:W,...)
 *
 * The port list is the golden C model's (struct pe_bt_ops.ports,
 * pe_bt.h), in its order, so the RTL's shim and its C model cannot
 * disagree; a model without a golden pe_bt model (the FP16 adder, ...)
 * names its ports in its row. TOP must be the golden model's rtl_top.
 * Bad arguments: a one-line message, exit 2. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_bt.h"

#define MAX_PORTS 128

struct port {
	char name[64];
	unsigned width;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "rtl_shimgen: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

static int is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* "a:16,b:16" -> ports; the count, or -1 on a malformed list. */
static int parse_ports(const char *list, struct port *p, int max)
{
	int n = 0;

	while (*list) {
		const char *colon = strchr(list, ':');
		size_t len = colon ? (size_t)(colon - list) : 0;
		char *end;

		if (!colon || !len || len >= sizeof p->name || n == max)
			return -1;
		memcpy(p[n].name, list, len);
		p[n].name[len] = '\0';
		unsigned long w = strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || (*end && *end != ',') || !is_ident(p[n].name) ||
		    w < 1 || w > 64)
			return -1;
		p[n++].width = (unsigned)w;
		list = *end ? end + 1 : end;
	}
	return n;
}

static void print_ports(const char *macro, const struct port *p, int n)
{
	printf("#define %s(X)", macro);
	for (int i = 0; i < n; i++)
		printf(" \\\n\tX(%s, %u)", p[i].name, p[i].width);
	printf("\n");
}

int main(int argc, char **argv)
{
	enum { NAME, TOP, CLOCK, RESET, GOLDEN, IN, OUT, N_OPTS };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, NAME },
		{ "top", required_argument, NULL, TOP },
		{ "clock", required_argument, NULL, CLOCK },
		{ "reset", required_argument, NULL, RESET },
		{ "golden", required_argument, NULL, GOLDEN },
		{ "in", required_argument, NULL, IN },
		{ "out", required_argument, NULL, OUT },
		{ NULL, 0, NULL, 0 },
	};
	const char *v[N_OPTS] = { [CLOCK] = "", [RESET] = "" };
	static struct port in[MAX_PORTS], out[MAX_PORTS];
	int n_in = 0, n_out = 0, c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c < 0 || c >= N_OPTS)
			return 2;
		v[c] = optarg;
	}
	const char *name = v[NAME], *top = v[TOP], *clock = v[CLOCK];
	const char *reset = v[RESET], *golden = v[GOLDEN], *ins = v[IN], *outs = v[OUT];
	if (optind < argc || !name || !top || !is_ident(name) ||
	    (*clock && !is_ident(clock)) || (*reset && !is_ident(reset)))
		return fail("usage: --name NAME --top TOP [--clock PORT] "
			    "[--reset PORT] (--golden MODEL | --in P:W,... "
			    "--out P:W,...)");
	if (golden) {
		const struct pe_bt_ops *g = pe_bt_find(golden);

		if (ins || outs)
			return fail("%s: --golden gives the ports: no --in/--out",
				    name);
		if (!g)
			return fail("%s: no golden model '%s' (pe_bt_find)", name,
				    golden);
		if (strcmp(g->rtl_top, top))
			return fail("%s: the golden model mirrors top '%s'", name,
				    g->rtl_top);
		if (g->n_in > MAX_PORTS || g->n_out > MAX_PORTS)
			return fail("%s: %s: too many ports", name, golden);
		for (size_t i = 0; i < g->n_in + g->n_out; i++) {
			struct port *p = i < g->n_in ? &in[n_in++] : &out[n_out++];
			snprintf(p->name, sizeof p->name, "%s", g->ports[i].name);
			p->width = g->ports[i].width;
			if (!is_ident(p->name) || p->width < 1 || p->width > 64)
				return fail("%s: bad port '%s' in the golden model",
					    name, g->ports[i].name);
		}
	} else {
		n_in = ins ? parse_ports(ins, in, MAX_PORTS) : -1;
		n_out = outs ? parse_ports(outs, out, MAX_PORTS) : -1;
		if (n_in < 0 || n_out < 1)
			return fail("%s: --in/--out: a list of PORT:WIDTH (1..64) "
				    "without a golden model", name);
	}

	printf("// rtl_%s_shim.h - the shim of the Verilated model %s (top %s),\n"
	       "// written by rtl_shimgen from its rtl_models row: do not edit.\n",
	       name, name, top);
	if (golden)
		printf("// Ports: the golden model %s's (pe_bt.h), in its order.\n",
		       golden);
	else
		printf("// Ports: the row's (no golden pe_bt model).\n");
	printf("#define RTL_NAME %s\n#define RTL_CLASS V%s\n"
	       "#define RTL_HEADER \"V%s.h\"\n#define RTL_TOP \"%s\"\n",
	       name, name, name, top);
	if (*clock)
		printf("#define RTL_CLOCK %s\n", clock);
	if (*reset)
		printf("#define RTL_RESET %s\n", reset);
	print_ports("RTL_INPUTS", in, n_in);
	print_ports("RTL_OUTPUTS", out, n_out);
	printf("#include \"rtl_shim.inc\"\n");
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

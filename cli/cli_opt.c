/* cli_opt.c - option parsing shared by every command (cli.h). */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ps_progress.h"

enum { OPT_PROGRESS = 0x200, OPT_QUIET };

void cli_opts_add(struct cli_opts *p, const char *spec)
{
	size_t n = 0;
	while (p->all[n].name)
		n++;
	for (spec += strspn(spec, " "); *spec; spec += strspn(spec, " ")) {
		size_t len = strcspn(spec, ",");
		char *name = p->names + p->names_len;
		assert(spec[len] == ',' && spec[len + 1] && n < 63 &&
		       p->names_len + len < sizeof p->names);
		memcpy(name, spec, len);
		name[len] = '\0';
		p->names_len += len + 1;
		spec += len + 1;
		p->all[n].name = name;
		p->all[n].has_arg = spec[1] == ':' ? required_argument : no_argument;
		p->all[n].flag = NULL;
		p->all[n++].val = (unsigned char)*spec;
		spec += spec[1] == ':' ? 2 : 1;
	}
	p->all[n] = (struct option){ NULL, 0, NULL, 0 };
}

void cli_opts_init(struct cli_opts *p, const char *cmd, const char *spec,
		   const char *shortopts, void (*help)(FILE *fp))
{
	size_t n = 0;
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->help = help;
	cli_opts_add(p, spec);
	while (p->all[n].name)
		n++;
	assert(n + 3 < sizeof p->all / sizeof *p->all);
	p->all[n++] = (struct option){ "progress", no_argument, NULL, OPT_PROGRESS };
	p->all[n++] = (struct option){ "quiet", no_argument, NULL, OPT_QUIET };
	p->all[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	p->all[n] = (struct option){ NULL, 0, NULL, 0 };
	/* ':' first: a missing value comes back as ':' */
	snprintf(p->sopts, sizeof p->sopts, ":%s%s", shortopts,
		 strchr(shortopts, 'h') ? "" : "h");
	optind = 1;
	opterr = 0;
}

static const struct option *find(const struct cli_opts *p, int val)
{
	for (const struct option *o = p->all; o->name; o++)
		if (o->val == val && !o->flag)
			return o;
	return NULL;
}

int cli_getopt(struct cli_opts *p, int argc, char **argv)
{
	static char shortname[4];
	for (;;) {
		int prev = optind, c = getopt_long(argc, argv, p->sopts, p->all, NULL);
		const struct option *o;
		if (c == -1)
			return -1;
		if (c == '?') {
			if (optopt && optopt < 256)
				cli_usage_error(p->cmd, "unknown option '-%c'", optopt);
			else
				cli_usage_error(p->cmd, "unknown option '%s'",
						argv[optind - 1 >= prev ? optind - 1 : prev]);
			return CLI_ERR;
		}
		o = find(p, c == ':' ? optopt : c);
		if (o) {
			p->name = o->name;
		} else {
			snprintf(shortname, sizeof shortname, "%c", c == ':' ? optopt : c);
			p->name = shortname;
		}
		if (c == ':') {
			cli_usage_error(p->cmd, "option '%s%s' needs a value",
					o ? "--" : "-", p->name);
			return CLI_ERR;
		}
		if (c == OPT_PROGRESS || c == OPT_QUIET) {
			p->quiet = c == OPT_QUIET;
			ps_progress_mode(p->quiet ? PS_PROGRESS_OFF : PS_PROGRESS_ON);
			continue;
		}
		if (optarg) {
			if (!*optarg) {
				cli_usage_error(p->cmd, "--%s: empty value", p->name);
				return CLI_ERR;
			}
			/* --set is a list (README "Overrides"), and so is
			 * what `multi` names; every other option takes one value */
			if (c >= 0 && c < 256 && p->seen[c] && strcmp(p->name, "set") &&
			    !(p->multi && strchr(p->multi, c))) {
				cli_usage_error(p->cmd, "--%s given twice (the second: '%s')",
						p->name, optarg);
				return CLI_ERR;
			}
			if (c >= 0 && c < 256)
				p->seen[c] = 1;
		}
		if (c == 'h' && p->help) {
			p->help(stdout);
			return CLI_HELP;
		}
		return c;
	}
}

int cli_u64(const struct cli_opts *p, const char *s, uint64_t min, uint64_t max,
	    uint64_t *v)
{
	char *end;
	unsigned long long x;
	errno = 0;
	x = *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
	if (*s < '0' || *s > '9' || *end || errno == ERANGE || x < min || x > max) {
		if (max == UINT64_MAX)
			cli_usage_error(p->cmd, "--%s: '%s' is not an integer %" PRIu64
					" or above (at most %" PRIu64 ")", p->name, s, min, max);
		else
			cli_usage_error(p->cmd, "--%s: '%s' is not an integer in %" PRIu64
					"..%" PRIu64, p->name, s, min, max);
		return CLI_ERR;
	}
	*v = x;
	return 0;
}

int cli_gemm(const char *cmd, const char *s, uint64_t *M, uint64_t *K, uint64_t *N)
{
	static const char dim[3] = { 'M', 'K', 'N' };
	const uint64_t lim = (1ull << 32) - 1;
	const char *p = s;
	uint64_t v[3];
	for (int i = 0; i < 3; i++) {
		char *e;
		errno = 0;
		if (*p < '0' || *p > '9')
			goto bad;
		v[i] = strtoull(p, &e, 10);
		if (i < 2 ? *e != 'x' : *e != 0)
			goto bad;
		if (errno == ERANGE || v[i] > lim)
			return cli_usage_error(cmd, "--gemm %s: %c = %.*s is above the limit %" PRIu64
					       " (the trace's 32-bit fields)", s, dim[i],
					       (int)(e - p), p, lim), CLI_ERR;
		if (!v[i])
			return cli_usage_error(cmd, "--gemm %s: %c is 0", s, dim[i]), CLI_ERR;
		p = e + 1;
	}
	*M = v[0];
	*K = v[1];
	*N = v[2];
	return 0;
bad:
	cli_usage_error(cmd, "--gemm wants MxKxN (three positive integers), got '%s'", s);
	return CLI_ERR;
}

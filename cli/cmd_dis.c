/* cmd_dis.c - `pesim dis`: one instruction per line; --isa prints the
 * opcode table (the README's "Trace format" section). */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "cc_compile.h"
#include "trace.h"

static void help(FILE *fp)
{
	fprintf(fp, "usage: pesim dis FILE.pest [--header | --summary]\n"
		    "       pesim dis --isa\n\n"
		    "Prints one instruction per line (mnemonic, op index, xrepeat, fields,\n"
		    "[token flags]). The file is checked first: magic, version, size, CRC\n"
		    "and every record (errors: 'file: offset N: problem', exit 2).\n"
		    "--summary prints totals (MACs, bytes) with loops and repeats expanded.\n"
		    CLI_HELP_COMMON);
}

int cmd_dis(int argc, char **argv)
{
	struct trace_reader *r;
	struct trace_insn in;
	struct ps_err err;
	enum ps_status st;
	int c, isa = 0, header = 0, summary = 0, got;
	struct cli_opts p;

	cli_opts_init(&p, "dis", "isa,i header,H summary,s", "h", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'i': isa = 1; break;
		case 'H': header = 1; break;
		case 's': summary = 1; break;
		default: return cli_done(c);
		}
	}
	if (isa) {
		trace_isa_markdown(stdout);
		return 0;
	}
	if (optind != argc - 1)
		return cli_usage_error("dis", "expected one trace file");
	if (summary) {
		struct trace_summary ts;
		if ((st = trace_summarize(argv[optind], &ts, &err)))
			return cli_fail("dis", st, &err);
		printf("records %" PRIu64 ", ops %" PRIu64 ", MACs %" PRIu64
		       ", MM iterations %" PRIu64 ", loaded %" PRIu64 " B (W %" PRIu64
		       ", S %" PRIu64 ", A %" PRIu64 "), stored %" PRIu64 " B\n",
		       ts.records, ts.ops, ts.macs, ts.mm_iterations,
		       ts.load_bytes[0] + ts.load_bytes[1] + ts.load_bytes[2],
		       ts.load_bytes[0], ts.load_bytes[1], ts.load_bytes[2], ts.store_bytes);
		return 0;
	}
	if ((st = trace_reader_open(&r, argv[optind], &err)))
		return cli_fail("dis", st, &err);
	if (header) {
		const struct trace_header *h = trace_reader_header(r);
		printf("# version %u, %" PRIu64 " records, arch %016" PRIx64
		       ", workload %016" PRIx64 ", crc %08x%s\n",
		       h->version, h->count, h->arch_digest, h->workload_digest,
		       h->crc, h->flags & TRACE_FLAG_BIT_TRUE ? ", bit-true" : "");
	}
	while ((got = trace_read(r, &in, &err)) > 0)
		trace_dis_insn(stdout, &in);
	trace_reader_close(r);
	if (got < 0)
		return cli_fail("dis", PS_EINPUT, &err);
	printf("end\n");
	return 0;
}

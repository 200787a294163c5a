/* trace_dis.c - disassembly and the ISA's Markdown table, both generated
 * from isa.def. */
#include <inttypes.h>

#include "trace.h"

static const char *const queue_names[] = { "-", "load", "compute", "store" };

void trace_dis_insn(FILE *fp, const struct trace_insn *in)
{
	const struct trace_opinfo *o = &trace_ops[in->opcode];
	uint64_t v[7] = { in->buf, in->fmt, in->a, in->b, in->c, in->addr, in->bytes };
	fprintf(fp, "%-5s op=%" PRIu32, o->mnemonic, in->op);
	if (in->repeat != 1 && in->opcode != TRACE_END)
		fprintf(fp, " x%" PRIu32, in->repeat);
	for (int i = 0; i < 7; i++)
		if (o->label[i])
			fprintf(fp, " %s=%" PRIu64, o->label[i], v[i]);
	if (TRACE_ZIP(in->flags))
		fprintf(fp, " zip=%u", TRACE_ZIP(in->flags));
	if (in->flags & 0xfu) {
		fputs(" [", fp);
		if (in->flags & TRACE_POP_PREV)
			fputs("<pop", fp);
		if (in->flags & TRACE_POP_NEXT)
			fputs(" pop>", fp);
		if (in->flags & TRACE_PUSH_PREV)
			fputs(" <push", fp);
		if (in->flags & TRACE_PUSH_NEXT)
			fputs(" push>", fp);
		fputs("]", fp);
	}
	fputc('\n', fp);
}

void trace_isa_markdown(FILE *fp)
{
	fprintf(fp, "| opcode | mnemonic | queue | buf | fmt | a | b | c | addr | bytes | meaning |\n"
		    "|---:|---|---|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < TRACE_OPCODE_N; i++) {
		const struct trace_opinfo *o = &trace_ops[i];
		fprintf(fp, "| %d | `%s` | %s |", i, o->mnemonic, queue_names[o->queue]);
		for (int k = 0; k < 7; k++)
			fprintf(fp, " %s |", o->label[k] ? o->label[k] : "-");
		fprintf(fp, " %s |\n", o->summary);
	}
}

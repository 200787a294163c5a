/* trace_dis.c - disassembly and the ISA's Markdown table, both generated
 * from isa.def. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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
	if (in->flags & TRACE_OP_PIPELINED)
		fputs(" pipelined", fp);
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

/* Parse one line printed by trace_dis_insn back into a record (round-trip
 * tests; also lets a user edit a disassembled trace). */
bool trace_dis_parse(const char *line, struct trace_insn *in)
{
	char word[64];
	int n, op = -1;
	const char *p = line;

	memset(in, 0, sizeof *in);
	in->repeat = 1;
	if (sscanf(p, "%63s%n", word, &n) != 1)
		return false;
	p += n;
	for (int i = 0; i < TRACE_OPCODE_N; i++)
		if (!strcmp(trace_ops[i].mnemonic, word))
			op = i;
	if (op < 0)
		return false;
	in->opcode = (uint8_t)op;
	if (op == TRACE_END)
		in->repeat = 0;
	while (sscanf(p, "%63s%n", word, &n) == 1) {
		char *eq = strchr(word, '=');
		unsigned long long v;
		p += n;
		if (word[0] == 'x' && !eq) {
			in->repeat = (uint32_t)strtoul(word + 1, NULL, 10);
			continue;
		}
		if (!strcmp(word, "pipelined"))
			in->flags |= TRACE_OP_PIPELINED;
		else if (!strcmp(word, "[<pop") || !strcmp(word, "<pop") || !strcmp(word, "[<pop]"))
			in->flags |= TRACE_POP_PREV;
		else if (strstr(word, "pop>"))
			in->flags |= TRACE_POP_NEXT;
		else if (strstr(word, "<push"))
			in->flags |= TRACE_PUSH_PREV;
		else if (strstr(word, "push>"))
			in->flags |= TRACE_PUSH_NEXT;
		if (!eq)
			continue;
		*eq = '\0';
		v = strtoull(eq + 1, NULL, 10);
		if (!strcmp(word, "op"))
			in->op = (uint32_t)v;
		else if (!strcmp(word, "zip"))
			in->flags |= (uint8_t)(v << TRACE_ZIP_SHIFT);
		else
			for (int k = 0; k < 7; k++)
				if (trace_ops[op].label[k] && !strcmp(trace_ops[op].label[k], word)) {
					switch (k) {
					case 0: in->buf = (uint8_t)v; break;
					case 1: in->fmt = (uint8_t)v; break;
					case 2: in->a = (uint32_t)v; break;
					case 3: in->b = (uint32_t)v; break;
					case 4: in->c = (uint32_t)v; break;
					case 5: in->addr = v; break;
					default: in->bytes = v; break;
					}
				}
	}
	return true;
}

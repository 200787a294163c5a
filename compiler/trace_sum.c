/* trace_sum.c - totals of a trace without unrolling it: a LOOP multiplies
 * its body's counts, an OP's repeat multiplies its block's. */
#include <string.h>

#include "cc_compile.h"

static int qidx(int opcode)
{
	switch (trace_ops[opcode].queue) {
	case TRACE_Q_LOAD:
		return 0;
	case TRACE_Q_COMPUTE:
		return 1;
	case TRACE_Q_STORE:
		return 2;
	default:
		return -1;
	}
}

enum ps_status trace_summarize(const char *path, struct trace_summary *s,
			       struct ps_err *err)
{
	struct trace_reader *r;
	struct trace_insn in;
	uint64_t op_rep = 1, loop_rep = 1, loop_left = 0;
	enum ps_status st = trace_reader_open(&r, path, err);
	int got;

	if (st)
		return st;
	memset(s, 0, sizeof *s);
	while ((got = trace_read(r, &in, err)) > 0) {
		uint64_t mult, iters;
		int q;
		s->records++;
		if (in.opcode == TRACE_OP) {
			if (loop_left) {
				trace_reader_close(r);
				return ps_errf(err, PS_EINPUT, "%s: record %llu: OP inside a LOOP body",
					       path, (unsigned long long)s->records);
			}
			op_rep = in.flags & TRACE_OP_PIPELINED ? 1 : in.repeat;
			s->ops++;
			continue;
		}
		if (in.opcode == TRACE_LOOP) {
			if (loop_left) {
				trace_reader_close(r);
				return ps_errf(err, PS_EINPUT, "%s: record %llu: nested LOOP",
					       path, (unsigned long long)s->records);
			}
			loop_rep = in.repeat;
			loop_left = in.a;
			continue;
		}
		mult = op_rep * (loop_left ? loop_rep : 1);
		if (loop_left)
			loop_left--;
		iters = mult * in.repeat;
		switch (in.opcode) {
		case TRACE_LD_W:
		case TRACE_LD_S:
		case TRACE_LD_A: {
			int k = in.opcode == TRACE_LD_W ? 0 : in.opcode == TRACE_LD_S ? 1 : 2;
			uint64_t held = in.bytes * in.c;	/* slots x tile */
			s->load_bytes[k] += iters * in.bytes;
			if (held > s->max_held[in.buf][k])
				s->max_held[in.buf][k] = held;
			break;
		}
		case TRACE_MM:
			s->macs += iters * (uint64_t)in.a * in.b * in.c;
			s->mm_iterations += iters;
			break;
		case TRACE_ST:
			s->store_bytes += iters * in.bytes;
			break;
		default:
			break;
		}
		q = qidx(in.opcode);
		if (q >= 0) {
			if (in.flags & TRACE_PUSH_PREV)
				s->pushes[q][0] += iters;
			if (in.flags & TRACE_PUSH_NEXT)
				s->pushes[q][1] += iters;
			if (in.flags & TRACE_POP_PREV)
				s->pops[q][0] += iters;
			if (in.flags & TRACE_POP_NEXT)
				s->pops[q][1] += iters;
		}
	}
	trace_reader_close(r);
	if (got < 0)
		return PS_EINPUT;
	if (loop_left)
		return ps_errf(err, PS_EINPUT, "%s: LOOP body runs past the end", path);
	return PS_OK;
}

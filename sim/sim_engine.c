/* sim_engine.c - the cycle-level engine.
 *
 * Records arrive in trace order. An OP record opens a block; the block is
 * buffered until the next OP (or END) and then run `repeat` times. Running a
 * block walks three iterators over it, one per queue (load, compute,
 * store), each yielding that queue's units (one iteration of a record) in
 * dispatch order: LOOP bodies repeat, zipped groups interleave, repeats
 * expand (isa.def). Nothing is unrolled into memory.
 *
 * Time: each queue executes its units in order. A unit starts when its queue
 * is free, the tokens it pops exist (each token carries the time its
 * producer released it) and, for DMA units, the DRAM channel is free. Among
 * the queues' head units the engine always executes the one that can start
 * earliest, so DRAM requests are granted in time order. Work per unit:
 *   load/store  xfer = ceil(bytes (burst-rounded) x 8 / bits_per_cycle) on
 *               the shared DRAM channel; a load's data are ready `latency`
 *               cycles after its transfer ends; the DMA engine pipelines
 *               requests (the next may start when the channel frees).
 *   mm          the PE family's closed-form tile timing (pe_family tile_timing):
 *               the array takes the next unit `interval` cycles after this
 *               one started (its folds' issue; tiles back to back pipeline
 *               like the folds of one tile), the operands are consumed by
 *               cycles - drain (slot tokens) and the results are out at
 *               `cycles` (tokens to store); a buffer port slower than the
 *               array stretches both.
 *   pre         table precompute: `tables` x ceil(m / rows) cycles.
 *   dq          the dequantizer behind the accumulators: the results are
 *               out the family's dq cycles after the tile's; the array
 *               goes on.
 * Ops are separated by a buffer barrier: an op's first load waits until the
 * previous op's last compute has consumed its operands (its buffers are
 * reused); the array may still be draining it, and the previous op's stores
 * overlap the next op's loads on the DRAM channel.
 * The inner loop touches each unit once; idle time is skipped, never
 * stepped.
 *
 * compat (the BitMoD method's assumptions): every op takes max(Σ compute
 * without fill/drain, floor(Σ bytes x 8 / bits_per_cycle)) per repetition,
 * and ops add up. */
#include "sim_engine.h"
#include "cfg_area.h"

#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "ps_progress.h"

const char *const sim_queue_names[] = { "load", "compute", "store", NULL };
const char *const sim_stall_names[] = { "data", "dram", "buffer", "output",
					"compute", "barrier", NULL };

/* token channels: load->compute data, compute->load slots,
 * compute->store results, store->compute output slots */
enum { CH_DATA, CH_SLOT, CH_RESULT, CH_OSLOT, CH_N };

struct chan {
	uint64_t *t;
	size_t head, n, cap;
};

struct iter {
	size_t pos;		/* head record of the current group */
	uint32_t rep, member;
	bool in_loop;
	size_t loop_start, loop_end;
	uint32_t loop_left;
	const struct trace_insn *unit;	/* current head unit, NULL at end */
};

/* The work of one block execution as a function of where it starts: the
 * deltas it adds, relative to the compute barrier `base`. */
struct memo {
	bool valid;
	uint64_t used;
	uint64_t hash, rel_load, rel_store, rel_dram, rel_compute, rel_last;
	uint64_t dq[SIM_Q_N], ddram, dend, dce, dprev;
	struct sim_op_stats d;
	uint64_t dsram_w[8], dsram_r[8], dunits;
};

#define MEMO_N 512	/* entries, in sets of MEMO_WAYS (least recently used replaced) */
#define MEMO_WAYS 4

/* What a body named by a compiler key needs once: its hash and slots. */
#define KEY_CACHE 64
struct key_cache {
	uint64_t key, hash, kslots_hash;
	uint32_t slots[CFG_MAX_BUFFERS], kslots[CFG_MAX_BUFFERS][3];
};

/* Tile timings by MM record (the closed forms are pure functions of it). */
#define TT_CACHE 256
struct tt_cache {
	bool valid, compat;
	uint8_t phase;
	uint32_t a, b, c;
	uint64_t wb, ab;
	struct pe_tile_timing tt;
};

struct sim_engine {
	const struct cfg_arch *a;
	const struct cfg_energy *energy;
	const struct pe_family *pe;
	struct pe_params pp[2];		/* per phase (the MM record adds widths) */
	struct pe_array arr[2];
	struct tt_cache ttc[TT_CACHE];
	int buf_w, buf_a;		/* the "weight" and "input" buffers, -1: none */
	bool compat, keep_ops;
	struct sim_rows *rows;		/* rows go here (sim_rows.c), or NULL */

	struct trace_insn op;		/* the open block's OP record */
	bool have_op;
	struct trace_insn *blk;
	size_t n, cap;

	struct chan ch[CH_N];
	uint64_t qready[SIM_Q_N];
	uint64_t dram_free;
	uint64_t compute_end;		/* operands of every compute unit so far consumed */
	uint64_t rel_prev;		/* ... of all but the last MM */
	/* the buffer barrier of the open block: its first load of each kind
	 * (W, S, A) per buffer into a double-buffered buffer that the previous
	 * op also used with two slots goes to the half the previous op's last
	 * tile is not in (free once its second-to-last MM consumed its
	 * operands); every other first load waits for the last MM */
	uint64_t bar_prev, bar_last;
	uint32_t kslots[CFG_MAX_BUFFERS][3], prev_kslots[CFG_MAX_BUFFERS][3];
	uint64_t kslots_hash;		/* of kslots (set with them) */
	uint64_t prev_kslots_hash;	/* of prev_kslots, when ..._ok */
	bool prev_kslots_ok;
	uint32_t nld[CFG_MAX_BUFFERS][3];
	uint64_t mm_done;		/* the last MM's results out (a DQ follows it) */
	uint32_t slots[CFG_MAX_BUFFERS];	/* the open block's slots per buffer */
	bool fill_charged;		/* this block execution paid the array's fill */
	uint64_t last_drain;		/* drain of its last MM */
	uint64_t end;			/* latest event */
	uint64_t prev_op_end;

	struct sim_result r;
	size_t ops_cap;
	struct sim_op_stats cur;	/* stats of the open op */
	uint64_t blk_hash;		/* of the open block's timing-relevant fields */
	uint64_t blk_key;		/* put_block's key of the open block, 0: none */
	uint64_t note_traffic;		/* op_note of the next op, 0: none */
	struct key_cache keys[KEY_CACHE];
	struct memo memo[MEMO_N];
	uint64_t memo_hits, memo_clock;
	bool no_memo;
	/* progress (ps_progress.h): mm units stepped (replayed blocks cost
	 * next to nothing), reported between budgets of events */
	uint64_t tiles_run, tiles_told, events;
};

static void tell_progress(struct sim_engine *e)
{
	ps_progress_work("tiles", e->tiles_run - e->tiles_told);
	e->tiles_told = e->tiles_run;
}

static enum ps_status chan_push(struct chan *c, uint64_t t, struct ps_err *err)
{
	if (c->head + c->n == c->cap) {
		if (c->head) {
			memmove(c->t, c->t + c->head, c->n * sizeof *c->t);
			c->head = 0;
		} else {
			size_t cap = c->cap ? 2 * c->cap : 64;
			uint64_t *p = realloc(c->t, cap * sizeof *p);
			if (!p)
				return ps_errf(err, PS_ENOMEM, "out of memory");
			c->t = p;
			c->cap = cap;
		}
	}
	c->t[c->head + c->n++] = t;
	return PS_OK;
}

static int qof(const struct trace_insn *in)
{
	switch (trace_ops[in->opcode].queue) {
	case TRACE_Q_LOAD:
		return SIM_Q_LOAD;
	case TRACE_Q_COMPUTE:
		return SIM_Q_COMPUTE;
	default:
		return SIM_Q_STORE;
	}
}

/* Advance it to the next unit of queue q (isa.def dispatch order). */
static void iter_next(struct sim_engine *e, struct iter *it, int q)
{
	const struct trace_insn *r = e->blk;
	for (;;) {
		const struct trace_insn *g;
		uint32_t z;
		if (it->in_loop && it->pos >= it->loop_end) {
			if (--it->loop_left > 0) {
				it->pos = it->loop_start;
			} else {
				it->in_loop = false;
			}
			continue;
		}
		if (it->pos >= e->n) {
			it->unit = NULL;
			return;
		}
		g = &r[it->pos];
		if (g->opcode == TRACE_LOOP) {
			it->in_loop = true;
			it->loop_start = it->pos + 1;
			it->loop_end = it->pos + 1 + g->a;
			it->loop_left = g->repeat;
			it->pos++;
			continue;
		}
		z = TRACE_ZIP(g->flags);
		while (it->rep < g->repeat) {
			while (it->member <= z) {
				const struct trace_insn *u = &r[it->pos + it->member++];
				if (qof(u) == q) {
					it->unit = u;
					return;
				}
			}
			it->member = 0;
			it->rep++;
		}
		it->rep = 0;
		it->member = 0;
		it->pos += z + 1;
	}
}

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static void params(const struct sim_engine *e, const struct trace_insn *mm,
		   struct pe_params *p)
{
	*p = e->pp[e->op.fmt ? 1 : 0];
	if (mm) {	/* the MM record carries the op's code width */
		p->weight_bits = (double)mm->addr;
		p->code_bits = (uint32_t)mm->addr;
		p->a_bits = (uint32_t)mm->bytes;
	}
}

static void mm_timing(struct sim_engine *e, const struct trace_insn *u,
		      bool compat, struct pe_tile_timing *t)
{
	struct pe_tile tile = { u->a, u->b, u->c };
	struct pe_params p;
	uint64_t key = (uint64_t)u->a * 0x9e3779b97f4a7c15ull ^ (uint64_t)u->b * 0xc2b2ae3d27d4eb4full ^
		       (uint64_t)u->c * 0x165667b19e3779f9ull ^ u->addr << 40 ^ u->bytes << 48 ^
		       (uint64_t)e->op.fmt << 56 ^ (uint64_t)compat << 60;
	struct tt_cache *c = &e->ttc[key % TT_CACHE];
	if (c->valid && c->a == u->a && c->b == u->b && c->c == u->c && c->wb == u->addr &&
	    c->ab == u->bytes && c->phase == e->op.fmt && c->compat == compat) {
		*t = c->tt;
		return;
	}
	params(e, u, &p);
	e->pe->tile_timing(&p, &e->arr[e->op.fmt ? 1 : 0], &tile, compat, t);
	if (!t->interval)
		t->interval = t->cycles;
	*c = (struct tt_cache){ true, compat, e->op.fmt, u->a, u->b, u->c, u->addr, u->bytes, *t };
}

static int ph(const struct sim_engine *e)
{
	return e->op.fmt ? 1 : 0;
}

/* Bits per cycle buffer `buf` moves for one of its `slots` slots (its
 * banks' ports, cfg_buffer_slot_bits); 0: unlimited. */
static uint64_t port_bits(const struct sim_engine *e, int buf, uint32_t slots)
{
	if (buf < 0 || (size_t)buf >= e->a->n_buffers)
		return 0;
	return cfg_buffer_slot_bits(&e->a->buffers[buf], slots ? slots : 1);
}

/* SRAM reads of a tile (pe_tile_read_bits). A buffer delivers its
 * ports' bits per cycle to the slot the array reads (port_bits; 0:
 * unlimited), so a tile takes at least bits / those cycles. Returns that
 * bound and counts the bytes read. */
static uint64_t sram_reads(struct sim_engine *e, const struct trace_insn *u,
			   const struct pe_tile_timing *tt)
{
	struct pe_tile tile = { u->a, u->b, u->c };
	uint64_t wbits, abits, lim = 0;
	uint64_t pw = port_bits(e, e->buf_w, e->buf_w >= 0 ? e->slots[e->buf_w] : 1);
	uint64_t pa = port_bits(e, e->buf_a, e->buf_a >= 0 ? e->slots[e->buf_a] : 1);
	pe_tile_read_bits(e->a, ph(e), &tile, tt, (uint32_t)u->addr, (uint32_t)u->bytes,
			  &wbits, &abits);
	if (e->buf_w >= 0)
		e->r.sram_bytes_read[e->buf_w] += wbits / 8;
	if (e->buf_a >= 0)
		e->r.sram_bytes_read[e->buf_a] += abits / 8;
	if (pw && cdiv(wbits, pw) > lim)
		lim = cdiv(wbits, pw);
	if (pa && cdiv(abits, pa) > lim)
		lim = cdiv(abits, pa);
	return lim;
}

/* Account a unit's SRAM and DRAM actions and bytes. */
static void count_transfer(struct sim_engine *e, const struct trace_insn *u)
{
	struct sim_op_stats *s = &e->cur;
	double w64 = (double)cdiv(u->bytes * 8, 64);
	if (u->opcode == TRACE_ST) {
		s->dram_write_bytes += u->bytes;
		s->acts.n[ph(e)][SIM_ACT_DRAM_WRITE_BIT] += (double)u->bytes * 8;
		/* outputs land in the input buffer as the next op's input, as
		 * the BitMoD method charges them */
		s->acts.n[ph(e)][SIM_ACT_SRAM_INPUT_WRITE64] += w64;
		if (u->buf < 8)
			e->r.sram_bytes_read[u->buf] += u->bytes;
		return;
	}
	s->dram_read_bytes += u->bytes;
	s->acts.n[ph(e)][SIM_ACT_DRAM_READ_BIT] += (double)u->bytes * 8;
	s->acts.n[ph(e)][u->opcode == TRACE_LD_A ? SIM_ACT_SRAM_INPUT_WRITE64 :
						   SIM_ACT_SRAM_WEIGHT_WRITE64] += w64;
	if (u->buf < 8)
		e->r.sram_bytes_written[u->buf] += u->bytes;
}

/* What a unit waits for: up to four (time, reason) constraints. */
struct waits {
	uint64_t t[4];
	int why[4];
	int n;
};

static int load_kind(const struct trace_insn *u)
{
	return u->opcode == TRACE_LD_W ? 0 : u->opcode == TRACE_LD_S ? 1 :
	       u->opcode == TRACE_LD_A ? 2 : -1;
}

/* Earliest start of unit u of queue q, or UINT64_MAX if a token it pops
 * does not exist yet; w gets the constraints that were binding. */
/* A pop from channel ch (which queue q has when `has`): its head's time
 * joins the waits, as stall `why`; false when there is nothing to pop. */
static inline bool wait_pop(const struct sim_engine *e, int ch, bool has, int why,
			    struct waits *w)
{
	const struct chan *c = &e->ch[ch];
	if (!has || !c->n)
		return false;
	w->t[w->n] = c->t[c->head];
	w->why[w->n++] = why;
	return true;
}

static uint64_t start_time(struct sim_engine *e, int q,
			   const struct trace_insn *u, struct waits *w)
{
	uint64_t t = e->qready[q];
	int in_prev = q == SIM_Q_COMPUTE ? CH_DATA : CH_RESULT;
	int in_next = q == SIM_Q_LOAD ? CH_SLOT : CH_OSLOT;
	w->n = 0;
	if ((u->flags & TRACE_POP_PREV) &&
	    !wait_pop(e, in_prev, q != SIM_Q_LOAD,
		      q == SIM_Q_COMPUTE ? SIM_STALL_DATA : SIM_STALL_COMPUTE, w))
		return UINT64_MAX;
	if ((u->flags & TRACE_POP_NEXT) &&
	    !wait_pop(e, in_next, q != SIM_Q_STORE,
		      q == SIM_Q_LOAD ? SIM_STALL_BUFFER : SIM_STALL_OUTPUT, w))
		return UINT64_MAX;
	if (q == SIM_Q_LOAD && u->buf < CFG_MAX_BUFFERS) {
		int k = load_kind(u);
		uint32_t i = k < 0 ? 0 : e->nld[u->buf][k], sl = k < 0 ? 1 : e->kslots[u->buf][k];
		if (k >= 0 && i < sl) {
			w->t[w->n] = i == 0 && sl == 2 && e->prev_kslots[u->buf][k] == 2 ?
					     e->bar_prev : e->bar_last;
			w->why[w->n++] = SIM_STALL_BARRIER;
		}
	}
	if (q != SIM_Q_COMPUTE) {
		w->t[w->n] = e->dram_free;
		w->why[w->n++] = SIM_STALL_DRAM;
	}
	for (int i = 0; i < w->n; i++)
		if (w->t[i] > t)
			t = w->t[i];
	return t;
}

/* Charge the wait from the queue's ready time to the start: each waiting
 * cycle goes to the highest-priority constraint still unmet then, in the
 * order they were recorded (a missing token before a busy DRAM channel; for
 * compute, data before an output slot). */
static void charge_stalls(struct sim_queue_stats *qs, uint64_t ready,
			  const struct waits *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->t[i] > ready) {
			qs->stall[w->why[i]] += w->t[i] - ready;
			ready = w->t[i];
		}
}

static enum ps_status execute(struct sim_engine *e, int q,
			      const struct trace_insn *u, uint64_t t,
			      const struct waits *w, struct ps_err *err)
{
	struct sim_queue_stats *qs = &e->cur.q[q];
	uint64_t done, release, free_at, dur = 1;
	enum ps_status st = PS_OK;

	charge_stalls(qs, e->qready[q], w);
	if (u->flags & TRACE_POP_PREV) {
		struct chan *c = &e->ch[q == SIM_Q_COMPUTE ? CH_DATA : CH_RESULT];
		c->head++;
		c->n--;
	}
	if (u->flags & TRACE_POP_NEXT) {
		struct chan *c = &e->ch[q == SIM_Q_LOAD ? CH_SLOT : CH_OSLOT];
		c->head++;
		c->n--;
	}
	if (q == SIM_Q_COMPUTE) {
		uint64_t pes = cfg_arch_pes(e->a, ph(e));
		if (u->opcode == TRACE_MM) {
			struct pe_tile_timing tt;
			uint64_t lim, stretch = 0;
			mm_timing(e, u, false, &tt);
			/* buffer ports slower than the array stretch the issue */
			lim = sram_reads(e, u, &tt);
			if (lim > tt.interval)
				stretch = lim - tt.interval;
			dur = tt.interval + stretch;
			release = t + tt.cycles + stretch - tt.drain;
			done = t + tt.cycles + stretch;
			e->mm_done = done;
			e->cur.tiles += tt.steps;
			e->cur.busy_pe_cycles += tt.busy_pe_cycles;
			e->cur.acts.n[ph(e)][SIM_ACT_SRAM_TILE_READ] += (double)tt.steps;
			/* the array computes while it issues; one fill and one
			 * drain per op execution (tiles in between pipeline) */
			e->cur.acts.n[ph(e)][SIM_ACT_PE_CYCLE] += (double)pes * (double)dur;
			if (!e->fill_charged) {
				e->cur.acts.n[ph(e)][SIM_ACT_PE_CYCLE] += (double)pes * (double)tt.fill;
				e->fill_charged = true;
			}
			e->last_drain = tt.drain;
		} else if (u->opcode == TRACE_DQ) {
			struct pe_params p;
			params(e, NULL, &p);
			dur = 0;
			release = t;
			done = (e->mm_done > t ? e->mm_done : t) +
			       (e->pe->dq_cycles ? e->pe->dq_cycles(&p) : 1);
		} else {	/* PRE */
			dur = (uint64_t)u->b * cdiv(u->a, cfg_arch_shape(e->a, ph(e))->rows);
			release = done = t + dur;
		}
		free_at = t + dur;
		e->cur.compute_cycles += dur;
		if (release > e->compute_end) {
			e->rel_prev = e->compute_end;
			e->compute_end = release;
		}
	} else {
		uint64_t x = cfg_arch_xfer_cycles(e->a, u->buf < e->a->n_buffers ?
							 &e->a->buffers[u->buf] : NULL,
						  u->c, u->bytes);
		free_at = t + x;
		e->dram_free = free_at;
		done = q == SIM_Q_LOAD ? free_at + e->a->dram.latency_cycles : free_at;
		release = done;
		e->cur.dram_cycles += x;
		count_transfer(e, u);
		dur = x;
		if (q == SIM_Q_LOAD && u->buf < CFG_MAX_BUFFERS && load_kind(u) >= 0)
			e->nld[u->buf][load_kind(u)]++;
	}
	qs->busy += dur;
	e->qready[q] = free_at;
	if (done > e->end)
		e->end = done;
	/* pushes: load -> data; compute -> slot (prev, operands consumed),
	 * result (next, results out); store -> output slot */
	if (u->flags & TRACE_PUSH_NEXT)
		st = chan_push(&e->ch[q == SIM_Q_LOAD ? CH_DATA : CH_RESULT], done, err);
	if (!st && (u->flags & TRACE_PUSH_PREV))
		st = chan_push(&e->ch[q == SIM_Q_COMPUTE ? CH_SLOT : CH_OSLOT],
			       q == SIM_Q_COMPUTE ? release : done, err);
	e->r.units++;
	return st;
}

/* The static buffer check: per buffer, the most each load kind holds
 * (slots x bytes) must fit together. */
static enum ps_status check_buffers(struct sim_engine *e, struct ps_err *err)
{
	uint64_t held[8][3] = { { 0 } };
	for (size_t b = 0; b < CFG_MAX_BUFFERS; b++) {
		e->slots[b] = 1;
		for (int k = 0; k < 3; k++)
			e->kslots[b][k] = 0;
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct trace_insn *u = &e->blk[i];
		int k = u->opcode == TRACE_LD_W ? 0 : u->opcode == TRACE_LD_S ? 1 :
			u->opcode == TRACE_LD_A ? 2 : -1;
		uint64_t need, cap;
		if (k < 0)
			continue;
		if (u->buf >= e->a->n_buffers)
			return ps_errf(err, PS_EINPUT, "op %u, record %zu (%s): buffer %u does not exist in arch '%s'",
				       e->op.op, i + 1, trace_ops[u->opcode].mnemonic, u->buf, e->a->name);
		if (u->bytes * u->c > held[u->buf][k])
			held[u->buf][k] = u->bytes * u->c;
		if (u->c > e->slots[u->buf])
			e->slots[u->buf] = u->c;
		if (u->c > e->kslots[u->buf][k])
			e->kslots[u->buf][k] = u->c;

		need = held[u->buf][0] + held[u->buf][1] + held[u->buf][2];
		cap = (uint64_t)(e->a->buffers[u->buf].size_kib * 1024);
		if (need > cap)
			return ps_errf(err, PS_EINPUT,
				       "op %u, record %zu (%s): buffer '%s' would hold %llu B, its capacity is %llu B",
				       e->op.op, i + 1, trace_ops[u->opcode].mnemonic,
				       e->a->buffers[u->buf].name, (unsigned long long)need,
				       (unsigned long long)cap);
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct trace_insn *u = &e->blk[i];
		bool load = u->opcode == TRACE_LD_W || u->opcode == TRACE_LD_S ||
			    u->opcode == TRACE_LD_A;
		/* two slots are two ping-pong halves: hardware the buffer has */
		if (load && u->c > 1 && !e->a->buffers[u->buf].double_buffered)
			return ps_errf(err, PS_EINPUT,
				       "op %u, record %zu (%s): %u slots, but buffer '%s' is not double-buffered",
				       e->op.op, i + 1, trace_ops[u->opcode].mnemonic, u->c,
				       e->a->buffers[u->buf].name);
	}
	return PS_OK;
}

static enum ps_status run_compat(struct sim_engine *e, struct ps_err *err)
{
	uint64_t compute = 0, bytes = 0, dram, mult = 1, left = 0;
	(void)err;
	for (size_t i = 0; i < e->n; i++) {
		const struct trace_insn *u = &e->blk[i];
		uint64_t it;
		if (u->opcode == TRACE_LOOP) {
			mult = u->repeat;
			left = u->a;
			continue;
		}
		it = (uint64_t)u->repeat * (left ? mult : 1);
		if (left)
			left--;
		if (u->opcode == TRACE_MM) {
			struct pe_tile_timing tt;
			mm_timing(e, u, true, &tt);
			compute += tt.cycles * it;
			e->cur.tiles += tt.steps * it;
			e->cur.busy_pe_cycles += tt.busy_pe_cycles * it;
			e->cur.acts.n[ph(e)][SIM_ACT_SRAM_TILE_READ] += (double)(tt.steps * it);
		} else if (trace_ops[u->opcode].queue != TRACE_Q_COMPUTE) {
			bytes += u->bytes * it;
			for (uint64_t k = 0; k < it; k++)
				count_transfer(e, u);
		}
	}
	dram = bytes * 8 / cfg_arch_dram_bits(e->a);
	e->cur.compute_cycles += compute;
	e->cur.dram_cycles += dram;
	e->cur.q[SIM_Q_COMPUTE].busy += compute;
	e->cur.q[SIM_Q_LOAD].busy += dram;
	e->cur.acts.n[ph(e)][SIM_ACT_PE_CYCLE] +=
		(double)cfg_arch_pes(e->a, ph(e)) * (double)compute;
	e->end += compute > dram ? compute : dram;
	e->compute_end = e->dram_free = e->end;
	return PS_OK;
}

/* Everything of a record that timing depends on (not op index or
 * address), and the phase that picks the array shape. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v * 0x9e3779b97f4a7c15ull;
	return (h << 27 | h >> 37) * 0xc2b2ae3d27d4eb4full;
}

static uint64_t block_hash(const struct sim_engine *e)
{
	uint64_t h = mix(CFG_FNV_INIT, e->op.fmt);
	for (size_t i = 0; i < e->n; i++) {
		const struct trace_insn *t = &e->blk[i];
		h = mix(h, (uint64_t)t->opcode | (uint64_t)t->flags << 8 | (uint64_t)t->buf << 16 |
			       (uint64_t)t->fmt << 24 | (uint64_t)t->repeat << 32);
		h = mix(h, (uint64_t)t->a | (uint64_t)t->b << 32);
		h = mix(h, t->c);
		h = mix(h, t->opcode == TRACE_MM ? t->addr : 0);	/* MM: wbits */
		h = mix(h, t->bytes);
	}
	return h;
}

static uint64_t sat(uint64_t x, uint64_t base)
{
	return x > base ? x - base : 0;
}

/* a += sign * b over the additive fields of op stats */
static void stats_acc(struct sim_op_stats *a, const struct sim_op_stats *b, int sign)
{
	uint64_t *pa[] = { &a->tiles, &a->busy_pe_cycles, &a->compute_cycles,
			   &a->dram_cycles, &a->dram_read_bytes, &a->dram_write_bytes };
	const uint64_t *pb[] = { &b->tiles, &b->busy_pe_cycles, &b->compute_cycles,
				 &b->dram_cycles, &b->dram_read_bytes, &b->dram_write_bytes };
	for (size_t i = 0; i < sizeof pa / sizeof *pa; i++)
		*pa[i] += sign > 0 ? *pb[i] : -*pb[i];
	for (int q = 0; q < SIM_Q_N; q++) {
		a->q[q].busy += sign > 0 ? b->q[q].busy : -b->q[q].busy;
		for (int k = 0; k < SIM_STALL_N; k++)
			a->q[q].stall[k] += sign > 0 ? b->q[q].stall[k] : -b->q[q].stall[k];
	}
	for (int p = 0; p < 2; p++)
		for (int k = 0; k < SIM_ACT_N; k++)
			a->acts.n[p][k] += sign * b->acts.n[p][k];
}

static enum ps_status run_block_events(struct sim_engine *e, struct ps_err *err);

/* Identical blocks (every layer's q, k, v, ...) entered in the same relative
 * state take the same time: replay the recorded deltas instead of the
 * events. The state that matters: where the queues and the DRAM channel
 * stand relative to the buffer barrier (the previous op's operands
 * consumed), which the block's first loads wait for. */
/* The block's slots become the previous block's (for the next one). */
static void keep_kslots(struct sim_engine *e)
{
	if (memcmp(e->prev_kslots, e->kslots, sizeof e->prev_kslots)) {
		memcpy(e->prev_kslots, e->kslots, sizeof e->prev_kslots);
		e->prev_kslots_hash = e->kslots_hash;
		e->prev_kslots_ok = true;
	}
}

static enum ps_status run_block_once(struct sim_engine *e, struct ps_err *err)
{
	uint64_t base, rl, rs, rd, rc, rlast, h;
	struct memo *m;
	struct sim_op_stats before;
	uint64_t sw[8], sr[8], units, end0;
	enum ps_status st;

	/* the buffer barrier (above): no load starts before the previous
	 * op's second-to-last MM consumed its operands */
	e->bar_prev = e->rel_prev;
	e->bar_last = e->compute_end;
	memset(e->nld, 0, sizeof e->nld);
	base = e->rel_prev;
	rl = sat(e->qready[SIM_Q_LOAD], base);
	rs = sat(e->qready[SIM_Q_STORE], base);
	rd = sat(e->dram_free, base);
	rc = sat(e->qready[SIM_Q_COMPUTE], base);
	rlast = e->compute_end - base;
	/* which of the new loads may use the other half depends on the
	 * previous block's slots */
	if (!e->prev_kslots_ok) {	/* the first block's: none before */
		e->prev_kslots_hash = cfg_fnv1a(e->prev_kslots, sizeof e->prev_kslots, CFG_FNV_INIT);
		e->prev_kslots_ok = true;
	}
	h = mix(e->blk_hash, e->prev_kslots_hash);
	{
		struct memo *set = &e->memo[(h ^ rl * 0x9e3779b97f4a7c15ull ^ rs * 31 ^ rd * 1000003 ^
					     rc * 7919 ^ rlast * 104729) % (MEMO_N / MEMO_WAYS) * MEMO_WAYS];
		m = NULL;
		for (int w = 0; w < MEMO_WAYS && !m; w++)
			if (set[w].valid && set[w].hash == h && set[w].rel_load == rl &&
			    set[w].rel_store == rs && set[w].rel_dram == rd && set[w].rel_compute == rc &&
			    set[w].rel_last == rlast)
				m = &set[w];
		if (!m) {	/* a free way, else the least recently used */
			m = &set[0];
			for (int w = 1; w < MEMO_WAYS; w++)
				if (!set[w].valid || (m->valid && set[w].used < m->used))
					m = &set[w];
			m->valid = false;
		}
		m->used = ++e->memo_clock;
	}
	if (!e->no_memo && m->valid) {
		for (int q = 0; q < SIM_Q_N; q++)
			e->qready[q] = base + m->dq[q];
		e->dram_free = base + m->ddram;
		e->compute_end = base + m->dce;
		e->rel_prev = base + m->dprev;
		keep_kslots(e);
		if (base + m->dend > e->end)
			e->end = base + m->dend;
		stats_acc(&e->cur, &m->d, 1);
		for (int b = 0; b < 8; b++) {
			e->r.sram_bytes_written[b] += m->dsram_w[b];
			e->r.sram_bytes_read[b] += m->dsram_r[b];
		}
		e->r.units += m->dunits;
		e->memo_hits++;
		return PS_OK;
	}
	before = e->cur;
	memcpy(sw, e->r.sram_bytes_written, sizeof sw);
	memcpy(sr, e->r.sram_bytes_read, sizeof sr);
	units = e->r.units;
	end0 = e->end;
	e->end = base;
	st = run_block_events(e, err);
	if (st)
		return st;
	m->valid = true;
	m->hash = h;
	m->rel_load = rl;
	m->rel_store = rs;
	m->rel_dram = rd;
	m->rel_compute = rc;
	m->rel_last = rlast;
	for (int q = 0; q < SIM_Q_N; q++)
		m->dq[q] = sat(e->qready[q], base);
	m->ddram = sat(e->dram_free, base);
	m->dce = e->compute_end - base;
	m->dprev = sat(e->rel_prev, base);
	keep_kslots(e);
	m->dend = e->end - base;
	m->d = e->cur;
	stats_acc(&m->d, &before, -1);
	for (int b = 0; b < 8; b++) {
		m->dsram_w[b] = e->r.sram_bytes_written[b] - sw[b];
		m->dsram_r[b] = e->r.sram_bytes_read[b] - sr[b];
	}
	m->dunits = e->r.units - units;
	if (end0 > e->end)
		e->end = end0;
	return PS_OK;
}

static enum ps_status run_block_events(struct sim_engine *e, struct ps_err *err)
{
	struct iter it[SIM_Q_N];
	enum ps_status st = PS_OK;

	/* tokens do not cross op blocks: each block's protocol starts afresh
	 * (the barrier has drained the previous block) */
	for (int c = 0; c < CH_N; c++)
		e->ch[c].head = e->ch[c].n = 0;
	e->fill_charged = false;
	e->last_drain = 0;
	memset(it, 0, sizeof it);
	for (int q = 0; q < SIM_Q_N; q++)
		iter_next(e, &it[q], q);
	for (;;) {
		/* at equal start times stores go first (they free output
		 * slots), then compute, then loads */
		static const int order[SIM_Q_N] = { SIM_Q_STORE, SIM_Q_COMPUTE, SIM_Q_LOAD };
		uint64_t best = UINT64_MAX;
		struct waits bw = { .n = 0 };
		int bq = -1;
		for (int i = 0; i < SIM_Q_N; i++) {
			int q = order[i];
			struct waits w;
			uint64_t t;
			if (!it[q].unit)
				continue;
			t = start_time(e, q, it[q].unit, &w);
			if (t < best) {
				best = t;
				bq = q;
				bw = w;
			}
		}
		if (bq < 0) {
			if (it[0].unit || it[1].unit || it[2].unit)
				return ps_errf(err, PS_EINPUT,
					       "op %u: the queues deadlock (a token is popped that no unit pushes)",
					       e->op.op);
			break;
		}
		st = execute(e, bq, it[bq].unit, best, &bw, err);
		if (st)
			return st;
		if (it[bq].unit->opcode == TRACE_MM)
			e->tiles_run++;
		if ((++e->events & 0xffff) == 0)
			tell_progress(e);
		iter_next(e, &it[bq], bq);
	}
	e->cur.acts.n[ph(e)][SIM_ACT_PE_CYCLE] +=
		(double)cfg_arch_pes(e->a, ph(e)) * (double)e->last_drain;
	return PS_OK;
}

static void op_from_record(const struct trace_insn *o, struct wl_op *op)
{
	memset(op, 0, sizeof *op);
	op->kind = o->buf;
	op->phase = o->fmt;
	op->cls = (int)o->c;
	op->K = o->a;
	op->N = o->b;
	op->M = o->addr;
	op->layer = (uint32_t)o->bytes;
	op->repeat = o->repeat;
	strncpy(op->name, op->kind == WL_ATTN_QK ? "attn_qk" : op->kind == WL_ATTN_PV ? "attn_pv" :
		wl_op_class_name(op->cls), sizeof op->name - 1);
}

static enum ps_status close_block(struct sim_engine *e, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	struct sim_op_stats *s = &e->cur;
	if (!e->have_op)
		return PS_OK;
	memset(s, 0, sizeof *s);
	op_from_record(&e->op, &s->op);
	s->times = 1;
	s->bound_buffers = e->note_traffic;
	e->note_traffic = 0;
	{
		struct key_cache *k = &e->keys[e->blk_key % KEY_CACHE];
		if (e->blk_key && k->key == e->blk_key) {
			e->blk_hash = k->hash;
			memcpy(e->slots, k->slots, sizeof e->slots);
			memcpy(e->kslots, k->kslots, sizeof e->kslots);
			e->kslots_hash = k->kslots_hash;
		} else {
			if (!e->compat)
				st = check_buffers(e, err);
			e->blk_hash = block_hash(e);
			/* hashed with the slots, not per block execution: the
			 * previous block's (run_block_once) alternate op by op */
			e->kslots_hash = cfg_fnv1a(e->kslots, sizeof e->kslots, CFG_FNV_INIT);
			if (!st && e->blk_key) {
				k->key = e->blk_key;
				k->hash = e->blk_hash;
				k->kslots_hash = e->kslots_hash;
				memcpy(k->slots, e->slots, sizeof k->slots);
				memcpy(k->kslots, e->kslots, sizeof k->kslots);
			}
		}
	}
	for (uint32_t r = 0; r < (e->op.flags & TRACE_OP_PIPELINED ? 1 : e->op.repeat) && !st; r++)
		st = e->compat ? run_compat(e, err) : run_block_once(e, err);
	if (st)
		return st;
	tell_progress(e);
	s->cycles = e->end - e->prev_op_end;
	e->prev_op_end = e->end;
	/* leakage and static power run every cycle of the op, idle or not
	 * (optional actions: priced only where the table has them) */
	s->acts.n[ph(e)][SIM_ACT_PE_LEAK_CYCLE] +=
		(double)cfg_arch_pes(e->a, ph(e)) * (double)s->cycles;
	s->acts.n[ph(e)][SIM_ACT_DRAM_STATIC_CYCLE] += (double)s->cycles;
	s->op.M = e->op.addr;
	e->r.macs += s->op.M * s->op.K * s->op.N * s->op.repeat;
	e->r.compute_cycles += s->compute_cycles;
	e->r.dram_read_bytes += s->dram_read_bytes;
	e->r.dram_write_bytes += s->dram_write_bytes;
	e->r.busy_pe_cycles += s->busy_pe_cycles;
	for (int p = 0; p < 2; p++)
		for (int a = 0; a < SIM_ACT_N; a++)
			e->r.acts.n[p][a] += s->acts.n[p][a];
	for (int q = 0; q < SIM_Q_N; q++) {
		e->r.q[q].busy += s->q[q].busy;
		for (int k = 0; k < SIM_STALL_N; k++)
			e->r.q[q].stall[k] += s->q[q].stall[k];
	}
	{
		uint64_t pes = cfg_arch_pes(e->a, e->op.fmt);
		if (pes > e->r.pes)
			e->r.pes = pes;
	}
	if (e->rows) {
		s->layers = 1;
		if ((st = sim_rows_put(e->rows, s, err)))
			return st;
	} else if (e->keep_ops) {
		struct energy_breakdown eb;
		st = energy_price(e->energy, &s->acts, &eb, err);
		if (st)
			return st;
		s->energy_pj = eb.total;
		enum ps_status st = ps_grow(&e->r.ops, &e->ops_cap, e->r.n_ops,
					    sizeof *e->r.ops, 256, err);
		if (st)
			return st;
		e->r.ops[e->r.n_ops++] = *s;
	}
	e->n = 0;
	e->have_op = false;
	return PS_OK;
}

enum ps_status sim_engine_put(void *ctx, const struct trace_insn *in,
			      struct ps_err *err)
{
	struct sim_engine *e = ctx;
	enum ps_status st;
	e->r.instructions++;
	if (in->opcode == TRACE_OP || in->opcode == TRACE_END) {
		st = close_block(e, err);
		if (st)
			return st;
		if (in->opcode == TRACE_OP) {
			e->op = *in;
			e->have_op = true;
		}
		return PS_OK;
	}
	if (!e->have_op)
		return ps_errf(err, PS_EINPUT, "record %llu (%s) comes before any op",
			       (unsigned long long)e->r.instructions,
			       trace_ops[in->opcode].mnemonic);
	if ((st = ps_grow(&e->blk, &e->cap, e->n, sizeof *e->blk, 256, err)))
		return st;
	e->blk[e->n++] = *in;
	if (in->opcode == TRACE_LOOP && (in->a == 0 || in->a > 1024))
		return ps_errf(err, PS_EINPUT, "op %u: loop body of %u records", e->op.op, in->a);
	return PS_OK;
}

enum ps_status sim_engine_op_note(void *ctx, uint64_t bound_buffers_cycles,
				  struct ps_err *err)
{
	struct sim_engine *e = ctx;
	enum ps_status st = close_block(e, err);
	e->note_traffic = bound_buffers_cycles;
	return st;
}

enum ps_status sim_engine_put_block(void *ctx, const struct trace_insn *hdr,
				    const struct trace_insn *body, size_t n,
				    uint64_t key, struct ps_err *err)
{
	struct sim_engine *e = ctx;
	struct trace_insn *own = e->blk;
	enum ps_status st = close_block(e, err);
	if (st)
		return st;
	e->r.instructions += 1 + n;
	for (size_t i = 0; i < n && !(key && e->keys[key % KEY_CACHE].key == key); i++)
		if (body[i].opcode == TRACE_LOOP && (body[i].a == 0 || body[i].a > 1024))
			return ps_errf(err, PS_EINPUT, "op %u: loop body of %u records", hdr->op, body[i].a);
	e->op = *hdr;
	e->have_op = true;
	e->blk = (struct trace_insn *)body;	/* read only while it runs */
	e->n = n;
	e->blk_key = key;
	st = close_block(e, err);
	e->blk = own;
	e->n = 0;
	e->blk_key = 0;
	e->have_op = false;
	return st;
}

enum ps_status sim_engine_create(struct sim_engine **ep,
				 const struct cfg_arch *a,
				 const struct cfg_energy *energy, bool compat,
				 bool keep_ops, struct ps_err *err)
{
	struct sim_engine *e;
	const struct pe_family *pe = pe_family_of(a);
	e = calloc(1, sizeof *e);
	if (!e)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	e->a = a;
	e->energy = energy;
	e->pe = pe;
	for (int ph = 0; ph < 2; ph++) {
		pe_params_from_arch(a, NULL, ph, &e->pp[ph]);
		pe_array_of(a, ph, &e->arr[ph]);
	}
	e->buf_w = e->buf_a = -1;
	for (size_t i = 0; i < a->n_buffers; i++) {
		if (!strcmp(a->buffers[i].name, "weight"))
			e->buf_w = (int)i;
		if (!strcmp(a->buffers[i].name, "input"))
			e->buf_a = (int)i;
	}
	e->compat = compat;
	e->keep_ops = keep_ops;
	*ep = e;
	return PS_OK;
}

enum ps_status sim_engine_finish(struct sim_engine *e, struct sim_result *res,
				 struct ps_err *err)
{
	enum ps_status st = close_block(e, err);
	if (st)
		return st;
	e->r.cycles = e->end;
	st = energy_price(e->energy, &e->r.acts, &e->r.energy, err);
	if (st)
		return st;
	e->r.pe_area_um2 = e->a->pe.area_um2;
	e->r.array_area_um2 = e->a->pe.area_um2 * (double)e->r.pes;
	cfg_area_describe(e->a, e->r.area_source, sizeof e->r.area_source);
	e->r.seconds = (double)e->r.cycles / (e->a->clock_mhz * 1e6);
	if (e->r.cycles) {
		e->r.utilization = (double)e->r.busy_pe_cycles /
				   ((double)e->r.pes * (double)e->r.cycles);
		e->r.dram_bw_bits_per_cycle = (double)(e->r.dram_read_bytes + e->r.dram_write_bytes) *
					      8.0 / (double)e->r.cycles;
	}
	*res = e->r;
	e->r.ops = NULL;	/* ownership moves to res */
	return PS_OK;
}

void sim_engine_set_rows(struct sim_engine *e, struct sim_rows *rows)
{
	e->rows = rows;
}

void sim_engine_set_memo(struct sim_engine *e, bool on)
{
	e->no_memo = !on;
}

uint64_t sim_engine_memo_hits(const struct sim_engine *e)
{
	return e->memo_hits;
}

void sim_engine_destroy(struct sim_engine *e)
{
	if (!e)
		return;
	for (int c = 0; c < CH_N; c++)
		free(e->ch[c].t);
	free(e->blk);
	free(e->r.ops);
	free(e);
}

/* test_map.c - mapper and emitter properties over random shapes and arch
 * variants: buffers never overflow, the trace's MACs equal M*K*N exactly,
 * bytes loaded equal the mapping's traffic and are >= compulsory traffic,
 * the token protocol never deadlocks (checked by unrolling every iteration
 * through three in-order queues), and the steady-state shortcut emits the
 * same totals as stepping every tile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe.h"
#include "cc_compile.h"
#include "cc_emit.h"
#include "cc_map_memo.h"
#include "test_util.h"

#define DATA PESIM_TEST_DATA

static uint64_t rng = 12345;
static uint64_t rnd(uint64_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (rng >> 33) % n;
}

/* ---- records in memory ---- */
struct vec {
	struct trace_insn *r;
	size_t n, cap;
};

static enum ps_status vec_put(void *ctx, const struct trace_insn *in, struct ps_err *err)
{
	struct vec *v = ctx;
	(void)err;
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 256;
		v->r = realloc(v->r, v->cap * sizeof *v->r);
	}
	v->r[v->n++] = *in;
	return PS_OK;
}

/* ---- unroll one op block into per-queue iteration lists ---- */
struct unit {
	uint8_t opcode, flags;
};
struct queue {
	struct unit *u;
	size_t n, cap, head;
};

static void q_push(struct queue *q, const struct trace_insn *in)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 1024;
		q->u = realloc(q->u, q->cap * sizeof *q->u);
	}
	q->u[q->n].opcode = in->opcode;
	q->u[q->n].flags = in->flags & 0xf;
	q->n++;
}

static int qof(int opcode)
{
	int q = trace_ops[opcode].queue;
	return q == TRACE_Q_LOAD ? 0 : q == TRACE_Q_COMPUTE ? 1 : 2;
}

/* dispatch records [i, j): zip groups interleave, repeats expand */
static void dispatch(struct queue qs[3], const struct trace_insn *r, size_t i, size_t j)
{
	while (i < j) {
		size_t z = TRACE_ZIP(r[i].flags);
		for (uint32_t it = 0; it < r[i].repeat; it++)
			for (size_t k = 0; k <= z; k++)
				q_push(&qs[qof(r[i + k].opcode)], &r[i + k]);
		i += z + 1;
	}
}

/* Run the three queues at infinite speed; true if all drain. */
static bool drains(struct queue qs[3])
{
	/* tokens: [0] load->compute, [1] compute->load, [2] compute->store,
	 * [3] store->compute */
	uint64_t tok[4] = { 0 };
	bool progress = true;
	while (progress) {
		progress = false;
		for (int q = 0; q < 3; q++) {
			while (qs[q].head < qs[q].n) {
				uint8_t f = qs[q].u[qs[q].head].flags;
				int from_prev = q == 1 ? 0 : q == 2 ? 2 : -1;
				int from_next = q == 0 ? 1 : q == 1 ? 3 : -1;
				if ((f & TRACE_POP_PREV) && (from_prev < 0 || !tok[from_prev]))
					break;
				if ((f & TRACE_POP_NEXT) && (from_next < 0 || !tok[from_next]))
					break;
				if (f & TRACE_POP_PREV)
					tok[from_prev]--;
				if (f & TRACE_POP_NEXT)
					tok[from_next]--;
				if (f & TRACE_PUSH_NEXT)
					tok[q == 0 ? 0 : 2]++;
				if (f & TRACE_PUSH_PREV)
					tok[q == 1 ? 1 : 3]++;
				qs[q].head++;
				progress = true;
			}
		}
	}
	return qs[0].head == qs[0].n && qs[1].head == qs[1].n && qs[2].head == qs[2].n;
}

static bool block_drains(const struct vec *v)
{
	struct queue qs[3];
	size_t i = 1;	/* skip OP */
	bool ok;
	memset(qs, 0, sizeof qs);
	while (i < v->n) {
		if (v->r[i].opcode == TRACE_LOOP) {
			size_t body = v->r[i].a;
			for (uint32_t it = 0; it < v->r[i].repeat; it++)
				dispatch(qs, v->r, i + 1, i + 1 + body);
			i += 1 + body;
		} else {
			size_t z = TRACE_ZIP(v->r[i].flags);
			dispatch(qs, v->r, i, i + z + 1);
			i += z + 1;
		}
	}
	ok = drains(qs);
	for (int q = 0; q < 3; q++)
		free(qs[q].u);
	return ok;
}

/* totals of an in-memory block, the way trace_summarize counts a file */
static void block_totals(const struct vec *v, uint64_t *macs, uint64_t *loaded,
			 uint64_t *stored)
{
	uint64_t mult = 1, left = 0;
	*macs = *loaded = *stored = 0;
	for (size_t i = 1; i < v->n; i++) {
		const struct trace_insn *r = &v->r[i];
		uint64_t it;
		if (r->opcode == TRACE_LOOP) {
			mult = r->repeat;
			left = r->a;
			continue;
		}
		it = r->repeat * (left ? mult : 1);
		if (left)
			left--;
		if (r->opcode == TRACE_MM)
			*macs += it * (uint64_t)r->a * r->b * r->c;
		else if (trace_ops[r->opcode].queue == TRACE_Q_LOAD)
			*loaded += it * r->bytes;
		else if (r->opcode == TRACE_ST)
			*stored += it * r->bytes;
	}
}

static void check_mapping(const struct cfg_arch *a, const struct cc_gemm *gp,
			  const struct cc_mapping *mp);

static void check_gemm(const struct cfg_arch *a, uint64_t M, uint64_t K, uint64_t N,
		       int phase, int kind)
{
	struct cc_gemm g = { M, K, N, phase, kind, pe_weight_bits(a, NULL, phase), NULL, NULL, 1 };
	struct cc_mapping m;
	struct ps_err err;

	assert_int_equal(cc_map_gemm(a, &g, &m, &err), PS_OK);
	if (!m.feasible) {
		/* infeasible is a result with a reason, never a crash */
		assert_true(strlen(m.reason) > 10);
		return;
	}
	check_mapping(a, &g, &m);
}

/* A feasible mapping's trace: buffers, MACs, bytes, tokens. */
static void check_mapping(const struct cfg_arch *a, const struct cc_gemm *gp,
			  const struct cc_mapping *mp)
{
	struct cc_gemm g = *gp;
	struct cc_mapping m = *mp;
	uint64_t M = g.M, K = g.K, N = g.N;
	int phase = g.phase, kind = g.kind;
	struct wl_op op;
	struct ps_err err;
	struct vec v1 = { 0 }, v2 = { 0 };
	struct cc_sink s1 = { .put = vec_put, .ctx = &v1 }, s2 = { .put = vec_put, .ctx = &v2 };
	struct cc_emit_opts o1 = { 0 }, o2 = { .no_shortcut = true };
	uint64_t macs, ld, st, macs2, ld2, st2;
	bool small;

	/* buffers never overflow */
	assert_true(m.slots_w * (m.w_tile_bytes + m.s_tile_bytes) <=
		    (uint64_t)(a->buffers[m.buf_w].size_kib * 1024));
	assert_true(m.slots_a * (m.a_tile_bytes + m.table_tile_bytes) <=
		    (uint64_t)(a->buffers[m.buf_a].size_kib * 1024));
	/* K tiles aligned to quantization groups */
	if (kind == WL_LINEAR && m.Kt != K)
		assert_int_equal(m.Kt % m.layout.k_align, 0);
	memset(&op, 0, sizeof op);
	op.M = M; op.K = K; op.N = N; op.repeat = 1; op.kind = kind; op.phase = phase;
	/* stepping every tile and unrolling for the token check are kept to
	 * nests of at most 100k MM iterations */
	small = m.tm * m.tn * m.tk <= 100000;
	if (cc_emit_gemm(a, &op, 0, &g, &m, &o1, &s1, &err) ||
	    (small && cc_emit_gemm(a, &op, 0, &g, &m, &o2, &s2, &err)))
		fail_msg("%llux%llux%llu (%s): Mt %llu Kt %llu Nt %llu order %d: %s",
			 (unsigned long long)M, (unsigned long long)K, (unsigned long long)N,
			 a->name, (unsigned long long)m.Mt, (unsigned long long)m.Kt,
			 (unsigned long long)m.Nt, m.order, err.msg);
	block_totals(&v1, &macs, &ld, &st);
	if (small)
		block_totals(&v2, &macs2, &ld2, &st2);
	else
		macs2 = macs, ld2 = ld, st2 = st;
	if (macs != M * K * N)
		fail_msg("%llux%llux%llu: trace MACs %llu", (unsigned long long)M,
			 (unsigned long long)K, (unsigned long long)N, (unsigned long long)macs);
	if (ld != m.dram_read_bytes)
		fail_msg("%llux%llux%llu kind %d phase %d: Mt %llu Kt %llu Nt %llu order %d slots %u: loaded %llu, mapping %llu (shortcut-free %llu)",
			 (unsigned long long)M, (unsigned long long)K, (unsigned long long)N, kind, phase,
			 (unsigned long long)m.Mt, (unsigned long long)m.Kt, (unsigned long long)m.Nt,
			 m.order, m.slots_a, (unsigned long long)ld,
			 (unsigned long long)m.dram_read_bytes, (unsigned long long)ld2);
	assert_true(ld >= m.w_total + m.s_total + m.a_total);	/* compulsory */
	assert_true(st == m.o_total);
	assert_true(macs2 == macs && ld2 == ld && st2 == st);
	if (small) {
		assert_true(block_drains(&v1));
		assert_true(block_drains(&v2));
	}
	free(v1.r);
	free(v2.r);
}

static void test_random_shapes(void **state)
{
	static const char *const archs[] = {
		PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml",
		PESIM_SRCDIR "/configs/arch/bitmod/fp16.yaml",
		PESIM_SRCDIR "/configs/arch/bitmod/olive.yaml",
		DATA "/arch/tiny.yaml",
		DATA "/arch/tiny-serial.yaml",
	};
	(void)state;
	for (size_t ai = 0; ai < sizeof archs / sizeof *archs; ai++) {
		struct cfg_arch a;
		struct ps_err err;
		assert_int_equal(pe_arch_load(archs[ai], &a, &err), PS_OK);
		for (int i = 0; i < 60; i++) {
			uint64_t M = 1 + rnd(i % 3 ? 300 : 3000);
			uint64_t K = 1 + rnd(i % 2 ? 2000 : 9000);
			uint64_t N = 1 + rnd(i % 4 ? 600 : 5000);
			check_gemm(&a, M, K, N, (int)rnd(2), rnd(5) ? WL_LINEAR : WL_ATTN_QK);
		}
		/* shapes of the zoo */
		check_gemm(&a, 256, 4096, 11008, WL_PREFILL, WL_LINEAR);
		check_gemm(&a, 1, 11008, 4096, WL_DECODE, WL_LINEAR);
		check_gemm(&a, 4, 128, 1024, WL_DECODE, WL_ATTN_QK);
	}
}

/* An arch whose buffers cannot hold even the smallest tile: a result with a
 * reason. */
static void test_infeasible(void **state)
{
	struct cfg_arch a;
	struct cc_gemm g = { 64, 4096, 64, WL_PREFILL, WL_LINEAR, 8, NULL, NULL, 1 };
	struct cc_mapping m;
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(DATA "/arch/tiny.yaml", &a, &err), PS_OK);
	a.buffers[0].size_kib = 0.01;	/* 10 bytes */
	assert_int_equal(cc_map_gemm(&a, &g, &m, &err), PS_OK);
	assert_false(m.feasible);
	assert_non_null(strstr(m.reason, "does not fit"));
	assert_non_null(strstr(m.reason, "weight buffer"));
}

/* The whole-model trace: MACs equal the zoo's GEMM MACs, loads equal the
 * mappings' traffic. */
static void test_model_trace_totals(void **state)
{
	static const char *const models[] = { "opt-1.3b", "llama-2-7b", "llama-3-8b", "yi-6b" };
	char path[] = "/tmp/pesim-map-XXXXXX";
	(void)state;
	tu_mkstemp(path);
	for (size_t i = 0; i < 4; i++) {
		struct cfg_arch a;
		struct wl_model m;
		struct wl_scenario s;
		struct cc_compile_stats cs;
		struct trace_summary ts;
		struct ps_err err;
		struct wl_plan plan;
		struct cc_compile_req rq = { .arch = &a, .plan = &plan, .out_path = path };
		assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
		assert_int_equal(wl_model_find(models[i], &m, &err), PS_OK);
		assert_int_equal(wl_scenario_parse("generate:128+2", &s, &err), PS_OK);
		assert_int_equal(wl_plan_model(&m, &s, false, &plan, &err), PS_OK);
		assert_int_equal(cc_compile(&rq, &cs, &err), PS_OK);
		wl_plan_free(&plan);
		assert_int_equal(trace_summarize(path, &ts, &err), PS_OK);
		assert_true(ts.macs == cs.macs);
		assert_true(ts.load_bytes[0] + ts.load_bytes[1] + ts.load_bytes[2] == cs.dram_read_bytes);
		assert_true(ts.store_bytes == cs.dram_write_bytes);
		assert_true(cs.dram_read_bytes + cs.dram_write_bytes >= cs.compulsory_bytes);
		assert_int_equal(ts.ops, cs.ops);
		/* every data token pushed by loads is popped by compute */
		assert_true(ts.pushes[0][1] == ts.pops[1][0]);
		assert_true(ts.pushes[1][1] == ts.pops[2][0]);
		/* every store takes one result and gives one output slot back */
		assert_true(ts.pushes[2][0] == ts.pops[2][0]);
		assert_true(ts.pops[2][0] > 0);
	}
	remove(path);
}

/* Map a prefill linear M x K x N on the preset at path (the arch stays
 * loaded until the next call). */
static const struct cfg_arch *map_prefill(const char *path, uint64_t M, uint64_t K,
					  uint64_t N, struct cc_mapping *m)
{
	static struct cfg_arch a;
	struct ps_err err;
	assert_int_equal(pe_arch_load(path, &a, &err), PS_OK);
	struct cc_gemm g = { M, K, N, WL_PREFILL, WL_LINEAR, pe_weight_bits(&a, NULL, 0),
			     NULL, NULL, 1 };
	assert_int_equal(cc_map_gemm(&a, &g, m, &err), PS_OK);
	return &a;
}

/* The objective: ranking by traffic never moves more bytes than ranking
 * by cycles, and ranking by cycles never estimates more cycles; a full-
 * width tile is chosen whenever one is as good (MixPE W4A8's 64x64 array
 * on 64x4096x12288 spans the array; so does every mapping below, where a
 * full-width tile fits and ranks within the tie band). */
static void test_objective_and_width(void **state)
{
	static const char *const archs[] = {
		PESIM_SRCDIR "/configs/arch/mixpe/w4a8-64x64.yaml",
		PESIM_SRCDIR "/configs/arch/bitmod/fp16.yaml",
		PESIM_SRCDIR "/configs/arch/baseline/int8-ws-32x32.yaml",
		PESIM_SRCDIR "/configs/arch/flightllm/csd-2of16.yaml",
	};
	static const uint64_t shapes[][3] = {
		{ 64, 4096, 12288 }, { 256, 4096, 11008 }, { 1, 11008, 4096 },
		{ 512, 28672, 8192 }, { 8192, 8192, 32768 }, { 16, 128, 2048 },
	};
	(void)state;
	for (size_t ai = 0; ai < sizeof archs / sizeof *archs; ai++) {
		struct cfg_arch a;
		struct ps_err err;
		assert_int_equal(pe_arch_load(archs[ai], &a, &err), PS_OK);
		for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
			const struct cfg_shape *sh = cfg_arch_shape(&a, WL_PREFILL);
			struct cc_gemm g = { shapes[si][0], shapes[si][1], shapes[si][2], WL_PREFILL,
					     WL_LINEAR, pe_weight_bits(&a, NULL, 0), NULL, NULL, 1 };
			struct cc_mapping cyc, trf, wide;
			a.mapper.objective = CFG_MAP_CYCLES;
			assert_int_equal(cc_map_gemm(&a, &g, &cyc, &err), PS_OK);
			a.mapper.objective = CFG_MAP_TRAFFIC;
			assert_int_equal(cc_map_gemm(&a, &g, &trf, &err), PS_OK);
			a.mapper.objective = CFG_MAP_CYCLES;
			assert_true(cyc.feasible && trf.feasible);
			assert_true(trf.dram_read_bytes + trf.dram_write_bytes <=
				    cyc.dram_read_bytes + cyc.dram_write_bytes);
			assert_true(cyc.est_cycles <= trf.est_cycles + trf.est_cycles / 64);
			/* the same mapping with its tiles widened to the array: if it
			 * fits and ranks in the tie band, the mapper took a full-width
			 * tile */
			if (cyc.Mt >= (g.M < sh->cols ? g.M : sh->cols) &&
			    cyc.Nt >= (g.N < sh->rows ? g.N : sh->rows))
				continue;
			if (cc_map_eval(&a, &g, &cyc.layout,
					cyc.Mt < sh->cols ? (g.M < sh->cols ? g.M : sh->cols) : cyc.Mt,
					cyc.Kt,
					cyc.Nt < sh->rows ? (g.N < sh->rows ? g.N : sh->rows) : cyc.Nt,
					cyc.order, cyc.slots_w, cyc.slots_a, cyc.slots_o, &wide))
				assert_true(wide.est_cycles > cyc.est_cycles + cyc.est_cycles / 64 ||
					    wide.dram_read_bytes + wide.dram_write_bytes >
						    cyc.dram_read_bytes + cyc.dram_write_bytes);
		}
	}
	/* the case: MixPE W4A8 on 64x4096x12288 spans its 64x64 array */
	{
		struct cc_mapping m;
		map_prefill(archs[0], 64, 4096, 12288, &m);
		assert_true(m.Mt >= 64 && m.Nt >= 64);
	}
}

/* The A strip (m-n-k with the m tile's Mt x K held across the n tiles):
 * forced on shapes with edge tiles in every dimension, one and two A
 * slots, the trace loads A once and W once per m tile, its tokens drain
 * and its buffers hold. And the case it is for: FP16 (BitMoD's baseline,
 * 512 KiB buffers, partial sums in the 24 x 32 accumulators) on a 512 x
 * 11008 x 4096 FFN-down takes a strip of 23 rows (23 x 11008 x 2 B fills
 * the input buffer): traffic A + 23 W + out = 2,089,549,824 B, where the
 * best tiling without strips cut the array to 11-column tiles. */
static void test_a_strip(void **state)
{
	static const char *const archs[] = {
		PESIM_SRCDIR "/configs/arch/bitmod/fp16.yaml",
		PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml",
		DATA "/arch/tiny.yaml",
	};
	static const uint64_t shapes[][3] = {
		{ 100, 1000, 300 }, { 512, 2048, 96 }, { 7, 640, 1000 }, { 64, 4096, 256 },
	};
	size_t forced = 0;
	(void)state;
	for (size_t ai = 0; ai < sizeof archs / sizeof *archs; ai++) {
		struct cfg_arch a;
		struct ps_err err;
		assert_int_equal(pe_arch_load(archs[ai], &a, &err), PS_OK);
		const struct cfg_shape *sh = cfg_arch_shape(&a, WL_PREFILL);
		for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++)
			for (uint32_t sa = 1; sa <= 2; sa++) {
				struct cc_gemm g = { shapes[si][0], shapes[si][1], shapes[si][2],
						     WL_PREFILL, WL_LINEAR, pe_weight_bits(&a, NULL, 0),
						     NULL, NULL, 1 };
				struct cc_mapping m;
				struct pe_layout l;
				uint64_t Mt = sh->cols < g.M ? sh->cols - 1 : g.M;
				uint64_t Nt = sh->rows < g.N ? sh->rows : g.N / 2;
				uint64_t al;
				cc_layout_for(&a, &g, &l);
				al = l.k_align ? l.k_align : 1;
				if (!cc_map_eval(&a, &g, &l, Mt, (g.K / 3 + al - 1) / al * al, Nt,
						 CC_ORDER_MNK_A, 1, sa, 2, &m))
					continue;
				assert_int_equal(m.a_total, cc_bits_to_bytes((double)g.M * g.K, l.a_bits));
				assert_int_equal(m.dram_read_bytes,
						 (m.w_total + m.s_total) * m.tm + m.a_total);
				check_mapping(&a, &g, &m);
				forced++;
			}
	}
	assert_true(forced >= 12);
	{
		struct cc_mapping m;
		const struct cfg_arch *a = map_prefill(archs[0], 512, 11008, 4096, &m);
		struct cc_gemm g = { 512, 11008, 4096, WL_PREFILL, WL_LINEAR,
				     pe_weight_bits(a, NULL, 0), NULL, NULL, 1 };
		assert_int_equal(m.order, CC_ORDER_MNK_A);
		assert_int_equal(m.Mt, 23);
		assert_int_equal(m.dram_read_bytes + m.dram_write_bytes, 2089549824ull);
		check_mapping(a, &g, &m);
	}
}

/* The memo of searched choices (cc_map_memo.h): a GEMM mapped again is
 * a hit and the same mapping; an arch changed in place (the same pointer,
 * another DRAM rate or buffer), another model name or other prices are
 * misses, and the changed arch's mapping is what a fresh search finds
 * (a memo keyed on anything less would serve the stale one: the DRAM rate
 * halved changes the estimate). */
static bool same_mapping(const struct cc_mapping *x, const struct cc_mapping *y)
{
	return x->feasible == y->feasible && !strcmp(x->reason, y->reason) && x->Mt == y->Mt &&
	       x->Kt == y->Kt && x->Nt == y->Nt && x->order == y->order &&
	       x->slots_w == y->slots_w && x->slots_a == y->slots_a && x->slots_o == y->slots_o &&
	       x->est_cycles == y->est_cycles && x->est_sched == y->est_sched &&
	       x->ideal_cycles == y->ideal_cycles && x->compute_cycles == y->compute_cycles &&
	       x->dram_cycles == y->dram_cycles && x->dram_read_bytes == y->dram_read_bytes &&
	       x->dram_write_bytes == y->dram_write_bytes && x->est_energy_pj == y->est_energy_pj &&
	       x->bound_buffers_cycles == y->bound_buffers_cycles;
}

static void test_memo(void **state)
{
	struct cfg_arch *a = calloc(1, sizeof *a);
	struct cc_prices pr = { 1, 2, 3, 4, 5, 6 };
	struct cc_mapping m1, m2, m3, m4;
	struct ps_err err;
	uint64_t h, mi;
	(void)state;
	assert_non_null(a);
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", a, &err),
			 PS_OK);
	struct cc_gemm g = { 1, 4096, 4096, WL_DECODE, WL_LINEAR, pe_weight_bits(a, NULL, 1),
			     NULL, NULL, 1 };
	cc_map_memo_clear();
	assert_int_equal(cc_map_gemm(a, &g, &m1, &err), PS_OK);
	assert_int_equal(cc_map_gemm(a, &g, &m2, &err), PS_OK);
	cc_map_memo_counts(&h, &mi);
	assert_int_equal(h, 1);
	assert_int_equal(mi, 1);
	assert_true(m1.feasible && same_mapping(&m1, &m2));
	/* the same arch in place with half the DRAM rate */
	a->dram.bits_per_cycle /= 2;
	assert_int_equal(cc_map_gemm(a, &g, &m3, &err), PS_OK);
	cc_map_memo_counts(&h, &mi);
	assert_int_equal(h, 1);
	assert_int_equal(mi, 2);
	assert_true(m3.est_cycles > m1.est_cycles);
	cc_map_memo_clear();
	assert_int_equal(cc_map_gemm(a, &g, &m4, &err), PS_OK);
	assert_true(same_mapping(&m3, &m4));
	/* the model's name and the prices are keys too */
	a->dram.bits_per_cycle *= 2;
	cc_map_memo_clear();
	assert_int_equal(cc_map_gemm(a, &g, &m1, &err), PS_OK);
	g.model = "llama-2-7b";
	assert_int_equal(cc_map_gemm(a, &g, &m2, &err), PS_OK);
	g.prices = &pr;
	assert_int_equal(cc_map_gemm(a, &g, &m3, &err), PS_OK);
	pr.dram_read_bit *= 2;
	assert_int_equal(cc_map_gemm(a, &g, &m4, &err), PS_OK);
	cc_map_memo_counts(&h, &mi);
	assert_int_equal(h, 0);
	assert_int_equal(mi, 4);
	assert_true(m4.est_energy_pj > m3.est_energy_pj);
	assert_int_equal(cc_map_gemm(a, &g, &m2, &err), PS_OK);
	cc_map_memo_counts(&h, &mi);
	assert_int_equal(h, 1);
	assert_true(same_mapping(&m2, &m4));
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_shapes),
		cmocka_unit_test(test_infeasible),
		cmocka_unit_test(test_objective_and_width),
		cmocka_unit_test(test_model_trace_totals),
		cmocka_unit_test(test_a_strip),
		cmocka_unit_test(test_memo),
	};
	return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}

/* test_cfg.c - config loading: every preset loads with the values of
 * bitmod.md; each bad-input class gives its "file:line: field: problem"
 * message, and the CLI exits 2 on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe.h"
#include "cfg_arch.h"
#include "cfg_energy.h"
#include "sim.h"
#include "test_util.h"

#define DATA PESIM_TEST_DATA
#define CONFIGS PESIM_SRCDIR "/configs"

static void test_presets_load(void **state)
{
	static const char *const names[] = { "fp16", "ant", "olive",
					     "bitmod-lossy", "bitmod-lossless" };
	(void)state;
	for (size_t i = 0; i < 5; i++) {
		char path[512];
		struct cfg_arch a;
		struct cfg_energy e;
		struct ps_err err = { "" };
		snprintf(path, sizeof path, CONFIGS "/arch/bitmod/%s.yaml", names[i]);
		assert_int_equal(pe_arch_load(path, &a, &err), PS_OK);
		assert_int_equal(sim_load_energy(&a, &e, &err), PS_OK);
		assert_string_equal(a.name, names[i]);
		assert_int_equal(a.dram.bits_per_cycle, 256);
		assert_non_null(cfg_arch_buffer(&a, "weight"));
		assert_true(cfg_arch_buffer(&a, "input")->size_kib == 512);
		assert_non_null(cfg_energy_find(&e, "sram.tile_read", 1));
	}
}

static void test_preset_values(void **state)
{
	struct cfg_arch a;
	struct cfg_energy e;
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(CONFIGS "/arch/bitmod/olive.yaml", &a, &err), PS_OK);
	assert_int_equal(a.array.prefill.rows, 36);
	assert_int_equal(a.array.decode.rows, 72);
	assert_int_equal(cfg_arch_pes(&a, 1), 1152);
	/* per-model bits beat the default; unknown models get the default */
	assert_true(pe_weight_bits(&a, "llama-3-8b", 1) == 3.5);
	assert_true(pe_weight_bits(&a, "yi-6b", 1) == 4.25);
	assert_true(pe_weight_bits(&a, "llama-2-70b", 1) == 3.75);
	assert_true(pe_weight_bits(&a, "yi-6b", 0) == 4.5);
	assert_int_equal(sim_load_energy(&a, &e, &err), PS_OK);
	/* phase-specific entries win over "any" */
	assert_true(cfg_energy_find(&e, "sram.tile_read", 0)->value == 165.39);
	assert_true(cfg_energy_find(&e, "sram.tile_read", 1)->value == 142.50);
	assert_true(cfg_energy_find(&e, "pe.cycle", 1)->value == 0.613);
	assert_int_equal(cfg_energy_find(&e, "sram.input_write64", 0)->source, CFG_SRC_FIT);
	assert_null(cfg_energy_find(&e, "no.such", 0));

	assert_int_equal(pe_arch_load(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_ptr_equal(pe_family_of(&a), pe_family_find("bitmod"));
	assert_string_equal(a.pe.family_name, "bitmod");
	assert_int_equal(a.pe.lanes, 4);
	{
		struct pe_params p;
		pe_params_from_arch(&a, NULL, 0, &p);
		assert_true(p.bit_serial);	/* BitMoD's own pe: key */
		assert_int_equal(p.code_bits, 4);
		assert_int_equal(p.group_size, 128);
		assert_int_equal(p.scale_bits, 8);
	}
	assert_true(pe_weight_bits(&a, "llama-2-7b", 0) == 4.0625);
	assert_true(pe_weight_bits(&a, "llama-2-7b", 1) == 3.0625);
}

struct bad_case {
	const char *file;
	const char *msg;	/* expected message after the path */
};

static const struct bad_case bad_arch[] = {
	{ "arch-syntax.yaml", ":15: syntax error: " },
	{ "arch-unknown-key.yaml", ":8: pe.bogus_key: unknown key" },
	{ "arch-wrong-type.yaml", ":6: pe.lanes: expected an integer, got 'four'" },
	{ "arch-trailing-junk.yaml", ":6: pe.lanes: expected an integer, got '3x'" },
	{ "arch-out-of-range.yaml", ":6: pe.lanes: value out of range (allowed 1..64)" },
	{ "arch-negative.yaml", ":6: pe.lanes: value out of range (allowed 1..64)" },
	{ "arch-missing-field.yaml", ":13: array.prefill.cols: missing required field" },
	{ "arch-bad-enum.yaml", ":5: pe.family: unknown value 'tpu'" },
	/* libfyaml 0.7.12 loops forever on this one (fuzz_yaml found it) */
	{ "arch-not-utf8.yaml", ":1: not UTF-8 text (byte 0xff at offset 1)" },
	/* a broken second document is not ignored */
	{ "arch-second-doc.yaml", ":24: syntax error: " },
};

static const struct bad_case bad_energy[] = {
	{ "energy-bad-source.yaml", ":10: entries[6].source: unknown value 'guess'" },
	{ "energy-missing-ref.yaml", ":4: entries[0].ref: missing required field" },
};

/* A table of bad files under bad/, loaded as arch files or energy tables. */
static const struct bad_set {
	const struct bad_case *c;
	size_t n;
	bool energy;
} bad_arch_set = { bad_arch, sizeof bad_arch / sizeof *bad_arch, false },
  bad_energy_set = { bad_energy, sizeof bad_energy / sizeof *bad_energy, true };

/* Each file of the set (state) is refused with its message after the path. */
static void test_bad_files(void **state)
{
	const struct bad_set *b = *state;

	for (size_t i = 0; i < b->n; i++) {
		char path[512];
		struct cfg_arch a;
		struct cfg_energy e;
		struct ps_err err = { "" };
		snprintf(path, sizeof path, DATA "/bad/%s", b->c[i].file);
		assert_int_equal(b->energy ? cfg_energy_load(path, &e, &err)
					   : pe_arch_load(path, &a, &err), PS_EINPUT);
		tu_expect_msg(path, err.msg, b->c[i].msg);
	}
}

static void test_missing_file(void **state)
{
	struct cfg_arch a;
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(DATA "/bad/no-such-file.yaml", &a, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "no-such-file.yaml: cannot open"));
}

/* An energy table entry with the wrong unit is refused at pricing. */
static void test_price_unit_check(void **state)
{
	struct cfg_energy e;
	struct sim_actions acts;
	struct energy_breakdown b;
	struct ps_err err;
	(void)state;
	assert_int_equal(cfg_energy_load(DATA "/energy/tiny.yaml", &e, &err), PS_OK);
	memset(&acts, 0, sizeof acts);
	acts.n[0][SIM_ACT_PE_CYCLE] = 10;
	acts.n[1][SIM_ACT_SRAM_TILE_READ] = 3;
	acts.n[0][SIM_ACT_DRAM_READ_BIT] = 7;
	assert_int_equal(energy_price(&e, &acts, &b, &err), PS_OK);
	assert_true(b.compute == 15.0);	/* 10 x 1 pJ x 1.5 */
	assert_true(b.sram == 60.0);	/* decode entry: 3 x 20 */
	assert_true(b.dram == 7.0);
	assert_true(b.total == 82.0);
	e.entries[0].unit = CFG_UNIT_PJ_BIT;
	assert_int_equal(energy_price(&e, &acts, &b, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "entry 'pe.cycle': unit must be 'pJ/cycle'"));
	e.n_entries = 0;
	assert_int_equal(energy_price(&e, &acts, &b, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "no entry 'pe.cycle'"));
}

static void test_cli_exit_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_arch / sizeof *bad_arch; i++) {
		assert_int_equal(tu_pesim("run --arch %s/bad/%s --model llama-2-7b --scenario prefill:8",
					  DATA, bad_arch[i].file), 2);
	}
	assert_int_equal(tu_pesim("run --arch " DATA "/arch/tiny.yaml --model no-such-model --scenario prefill:8"), 2);
	assert_int_equal(tu_pesim("run --arch " DATA "/arch/tiny.yaml --model llama-2-7b --scenario prefill:0"), 2);
	assert_int_equal(tu_pesim("run --model llama-2-7b"), 2);
	assert_int_equal(tu_pesim("frobnicate"), 2);
	assert_int_equal(tu_pesim("run --help"), 0);
	assert_int_equal(tu_pesim("report nosuch"), 2);
	assert_int_equal(tu_pesim("run --arch " CONFIGS "/arch/bitmod/fp16.yaml --model llama-2-7b --scenario decode:64"), 0);
}

/* --set overrides go through the schema walker: values land in the
 * struct, bad ones are refused naming the override, family keys live
 * only under their family, and reading a field by path sees them. */
static void test_overrides(void **state)
{
	struct cfg_sets ss = { 0 };
	struct cfg_arch a, b;
	struct ps_err err = { "" };
	char v[64];
	(void)state;
	assert_int_equal(cfg_sets_add(&ss, "array.prefill.rows=64", NULL, &err), PS_OK);
	assert_int_equal(cfg_sets_add(&ss, "buffers.input.size_kib=1024", NULL, &err), PS_OK);
	assert_int_equal(cfg_sets_add(&ss, "buffers[0].banks=2", NULL, &err), PS_OK);
	assert_int_equal(cfg_sets_add(&ss, "dram.latency_cycles=77", NULL, &err), PS_OK);
	assert_int_equal(pe_arch_load_set(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &ss, &a, &err), PS_OK);
	assert_int_equal(pe_arch_load(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &b, &err), PS_OK);
	assert_int_equal(a.array.prefill.rows, 64);
	assert_int_equal(a.array.prefill.cols, b.array.prefill.cols);
	assert_true(cfg_arch_buffer(&a, "input")->size_kib == 1024);
	assert_int_equal(a.buffers[0].banks, 2);
	assert_int_equal(a.dram.latency_cycles, 77);	/* a key the file leaves out */
	assert_true(a.digest != b.digest);
	assert_int_equal(pe_arch_value(&a, "buffers.input.size_kib", v, sizeof v, &err), PS_OK);
	assert_string_equal(v, "1024");
	assert_int_equal(pe_arch_value(&a, "array.dataflow", v, sizeof v, &err), PS_OK);
	assert_string_equal(v, "output-stationary");
	assert_int_equal(pe_arch_value(&a, "pe.bit_serial", v, sizeof v, &err), PS_OK);
	assert_string_equal(v, "true");
	assert_int_equal(pe_arch_value(&a, "pe.acc_bits", v, sizeof v, &err), PS_OK);
	assert_string_equal(v, "32");	/* the default */
	assert_int_equal(pe_arch_value(&a, "pe.lut_k", v, sizeof v, &err), PS_EINPUT);
	assert_int_equal(pe_arch_value(&a, "array.prefill", v, sizeof v, &err), PS_EINPUT);

	/* a family key under its family, and read back */
	ss.n = 0;
	assert_int_equal(cfg_sets_add(&ss, "pe.lut_k=3", NULL, &err), PS_OK);
	assert_int_equal(pe_arch_load_set(CONFIGS "/arch/lut_tc/m2n64k4-w2a16.yaml", &ss, &a, &err), PS_OK);
	assert_int_equal(pe_arch_value(&a, "pe.lut_k", v, sizeof v, &err), PS_OK);
	assert_string_equal(v, "3");
}

static void test_bad_overrides(void **state)
{
	static const struct { const char *set, *msg; } bad[] = {
		{ "pe.lanes=x", "--set pe.lanes=x: pe.lanes: expected an integer, got 'x'" },
		{ "pe.lanes=65", "--set pe.lanes=65: pe.lanes: value out of range (allowed 1..64)" },
		{ "pe.lanez=4", "--set pe.lanez=4: pe.lanez: unknown key" },
		{ "pe.lut_k=3", "--set pe.lut_k=3: pe.lut_k: unknown key" },
		{ "array.dataflow=diagonal", "--set array.dataflow=diagonal: array.dataflow: unknown value 'diagonal'" },
		{ "pe.area_um2=900", "--set pe.area_um2=900: pe.area_um2: the area is area_source's (rtl:bitmod_pe)" },
		{ "pe.area_source=rtl:nosuch", "--set pe.area_source=rtl:nosuch: pe.area_source: no design 'nosuch' in " },
		{ "pe.area_source=estimate", "--set pe.area_source=estimate: pe.area_source: estimate: needs pe.area_um2" },
		{ "array.prefill=8", "--set array.prefill=8: array.prefill: expected a mapping" },
		{ "buffers.act.size_kib=1", "--set buffers.act.size_kib=1: buffers.act.size_kib: no item named 'act' in buffers" },
		{ "buffers[5].banks=1", "--set buffers[5].banks=1: buffers[5].banks: no item [5] (the list has 2)" },
		{ "clock_mhz.x=1", "--set clock_mhz.x=1: clock_mhz.x: clock_mhz is not a mapping" },
		{ "weights.prefill=mixpe-int4", "--set weights.prefill=mixpe-int4: weights.prefill: pe.family bitmod does not run" },
		{ "pe.lanes=[1", "--set pe.lanes=[1: pe.lanes: not a YAML value" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cfg_sets ss = { 0 };
		struct cfg_arch a;
		struct ps_err err = { "" };
		assert_int_equal(cfg_sets_add(&ss, bad[i].set, NULL, &err), PS_OK);
		assert_int_equal(pe_arch_load_set(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &ss, &a, &err), PS_EINPUT);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("%s: got '%s', want prefix '%s'", bad[i].set, err.msg, bad[i].msg);
	}
	{
		struct cfg_sets ss = { 0 };
		struct ps_err err = { "" };
		assert_int_equal(cfg_sets_add(&ss, "pe.lanes", NULL, &err), PS_EINPUT);
		assert_non_null(strstr(err.msg, "expected path=value"));
		assert_int_equal(cfg_sets_add(&ss, "pe..lanes=1", NULL, &err), PS_EINPUT);
		assert_int_equal(cfg_sets_add(&ss, "pe.lanes[x]=1", NULL, &err), PS_EINPUT);
	}
	/* the CLI: exit 2, the override named; a good one changes the result */
	assert_int_equal(tu_pesim("run --arch " CONFIGS "/arch/bitmod/fp16.yaml --model llama-2-7b --scenario decode:64 --set pe.lanes=x"), 2);
	assert_int_equal(tu_pesim("compile --arch " CONFIGS "/arch/bitmod/fp16.yaml --gemm 8x8x8 -o /dev/null --set dram.bits_per_cycle=0"), 2);
	assert_int_equal(tu_pesim("report bitmod --quiet --set buffers.nosuch.banks=2"), 2);
	assert_int_equal(tu_pesim("run --arch " CONFIGS "/arch/bitmod/fp16.yaml --gemm 8x8x8 --set model.layers=2"), 2);
	assert_int_equal(tu_pesim("run --arch " CONFIGS "/arch/bitmod/fp16.yaml --gemm 8x8x8 --set run.mode=compat"), 2);
}

/* An override changes what is simulated (a field that changes nothing is
 * a bug): more PE rows, fewer cycles; fewer model layers, fewer cycles. */
static void test_override_changes_result(void **state)
{
	struct cfg_sets ss = { 0 };
	struct cfg_arch a, b;
	struct wl_model m, m2;
	struct wl_scenario s;
	struct sim_result r1, r2, r3;
	struct ps_err err = { "" };
	(void)state;
	assert_int_equal(pe_arch_load(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(cfg_sets_add(&ss, "array.prefill.rows=64", NULL, &err), PS_OK);
	assert_int_equal(pe_arch_load_set(CONFIGS "/arch/bitmod/bitmod-lossy.yaml", &ss, &b, &err), PS_OK);
	assert_int_equal(wl_model_find("llama-2-7b", &m, &err), PS_OK);
	ss.n = 0;
	assert_int_equal(cfg_sets_add(&ss, "layers=2", NULL, &err), PS_OK);
	assert_int_equal(wl_model_find_set("llama-2-7b", &ss, &m2, &err), PS_OK);
	assert_int_equal(m2.layers, 2);
	assert_int_equal(wl_scenario_parse("prefill:128", &s, &err), PS_OK);
	{
		struct sim_request q = { .arch = &a, .model = &m, .scenario = &s };
		assert_int_equal(sim_run(&q, &r1, &err), PS_OK);
		q.arch = &b;
		assert_int_equal(sim_run(&q, &r2, &err), PS_OK);
		q.arch = &a;
		q.model = &m2;
		assert_int_equal(sim_run(&q, &r3, &err), PS_OK);
	}
	assert_true(r2.cycles < r1.cycles);
	assert_true(r3.cycles < r1.cycles / 8);
	sim_result_free(&r1);
	sim_result_free(&r2);
	sim_result_free(&r3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets_load),
		cmocka_unit_test(test_preset_values),
		TU_TEST_ARG("test_bad_arch_messages", test_bad_files, &bad_arch_set),
		cmocka_unit_test(test_missing_file),
		TU_TEST_ARG("test_bad_energy", test_bad_files, &bad_energy_set),
		cmocka_unit_test(test_price_unit_check),
		cmocka_unit_test(test_cli_exit_codes),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_bad_overrides),
		cmocka_unit_test(test_override_changes_result),
	};
	return cmocka_run_group_tests_name("cfg", tests, NULL, NULL);
}

/* rpt_recipes.c - every report's recipe, one format: its designs (presets
 * under configs/arch/ with overrides), models, scenarios, modes, compat
 * method and published figures (reports/reference/). The first design of
 * a recipe is its baseline where the paper normalizes to one. */
#include <stddef.h>

#include "rpt.h"

static const struct rpt_design bitmod_designs[] = {
	{ "fp16", "FP16", "bitmod/fp16.yaml", { NULL } },
	{ "ant", "ANT", "bitmod/ant.yaml", { NULL } },
	{ "olive", "OliVe", "bitmod/olive.yaml", { NULL } },
	{ "bitmod-lossy", "BitMoD-lossy", "bitmod/bitmod-lossy.yaml", { NULL } },
	{ "bitmod-lossless", "BitMoD-lossless", "bitmod/bitmod-lossless.yaml", { NULL } },
	{ NULL, NULL, NULL, { NULL } },
};
static const char *const bitmod_models[] = { "opt-1.3b", "phi-2", "yi-6b", "llama-2-7b",
					     "llama-2-13b", "llama-3-8b", NULL };
static const char *const bitmod_scenarios[] = { "prefill:256", "generate:256+20", NULL };

/* MixPE's six designs in its evaluation setting (mixpe.md): 500 MHz,
 * 1024-bit memory interface, 128/256/128 KiB buffers; INT8 is the 32x32
 * INT8 preset priced with the 8/4-bit PE's energies of MixPE's model. */
static const struct rpt_design mixpe_designs[] = {
	{ "fp16", "FP16", "baseline/fp16-os-32x28.yaml", { NULL } },
	{ "int8", "INT8", "baseline/int8-os-32x32.yaml", { "energy_table=mixpe-int8", NULL } },
	{ "bitfusion", "BitFusion", "baseline/bitfusion-w8-os-32x40.yaml", { NULL } },
	{ "ant", "ANT", "baseline/ant-bitfusion-32x32.yaml", { NULL } },
	{ "mixpe-w4a8", "MixPE-W4A8", "mixpe/w4a8-64x64.yaml", { NULL } },
	{ "mixpe-w4a16", "MixPE-W4A16", "mixpe/w4a16-32x32.yaml", { NULL } },
	{ NULL, NULL, NULL, { NULL } },
};
static const char *const mixpe_models[] = { "vit-b-16", "vit-h-14", "opt-6.7b",
					    "llama-2-13b", NULL };
static const char *const mixpe_scenarios[] = { "prefill:1,batch:64", NULL };

/* LUT Tensor Core: the W1 and W2 tiles, and the MAC tiles built the same
 * way (the report's design indexes follow this order). */
static const struct rpt_design lut_tc_designs[] = {
	{ "lut-w1", "LUT tile W1", "lut_tc/m2n64k4-w1a16.yaml", { NULL } },
	{ "lut-w2", "LUT tile W2", "lut_tc/m2n64k4-w2a16.yaml", { NULL } },
	{ "mac-fp16", "FP16 DP4 MAC tile", "lut_tc/mac-fp16-dp4-64x2.yaml", { NULL } },
	{ "mac-int8", "INT8 DP4 MAC tile", "lut_tc/mac-int8-dp4-64x2.yaml", { NULL } },
	{ NULL, NULL, NULL, { NULL } },
};
static const char *const lut_tc_models[] = { "llama-2-7b", NULL };
static const char *const lut_tc_scenarios[] = { "prefill:512", "decode:2048", NULL };

/* FlightLLM: the U280 preset (variants are the report's overrides) and the
 * VHK158 of the authors' profiler. */
static const struct rpt_design flightllm_designs[] = {
	{ "u280", "U280", "flightllm/u280.yaml", { NULL } },
	{ "vhk158", "VHK158", "flightllm/vhk158.yaml", { NULL } },
	{ NULL, NULL, NULL, { NULL } },
};
static const char *const flightllm_models[] = { "llama-2-7b", "opt-6.7b", NULL };
static const char *const flightllm_scenarios[] = { "generate:128+512", "generate:512+512",
						   "generate:512+1536", NULL };

/* The shootout: one design per family (MixPE's two PEs both), each
 * preset cut to one area on one memory system by the report
 * (rpt_shootout.c: its format table follows this order). */
static const struct rpt_design shootout_designs[] = {
	{ "fp16", "FP16 MAC", "baseline/fp16-os-32x32.yaml", { NULL } },
	{ "int8", "INT8 MAC", "baseline/int8-os-32x32.yaml", { NULL } },
	{ "bitfusion", "BitFusion", "baseline/bitfusion-os-32x32.yaml", { NULL } },
	{ "ant", "ANT", "bitmod/ant.yaml", { NULL } },
	{ "olive", "OliVe", "bitmod/olive.yaml", { NULL } },
	{ "bitmod", "BitMoD", "bitmod/bitmod-lossy.yaml", { NULL } },
	{ "mixpe-w4a8", "MixPE W4A8", "mixpe/w4a8-64x64.yaml", { NULL } },
	{ "mixpe-w4a16", "MixPE W4A16", "mixpe/w4a16-32x32.yaml", { NULL } },
	{ "lut-tc", "LUT Tensor Core", "lut_tc/m2n64k4-w2a16.yaml", { NULL } },
	{ "flightllm", "FlightLLM", "flightllm/u280.yaml", { NULL } },
	{ NULL, NULL, NULL, { NULL } },
};
static const char *const shootout_models[] = { "llama-2-7b", "llama-3-8b", NULL };
static const char *const shootout_scenarios[] = { "prefill:512", "decode:2048", NULL };

const struct rpt_recipe rpt_recipes[] = {
	{ "bitmod", "BitMoD (HPCA 2025): speedup, energy and area of 5 designs on 6 LLMs",
	  "bitmod-paper.yaml", bitmod_designs, bitmod_models, bitmod_scenarios,
	  "compat, cycle", "bitmod", 3, NULL, rpt_bitmod },
	{ "mixpe", "MixPE (2024): time and energy vs FP16 of 6 designs on ViT-B/H, OPT-6.7B, Llama-2-13B",
	  "mixpe-paper.yaml", mixpe_designs, mixpe_models, mixpe_scenarios,
	  "compat (mixpe), cycle", "mixpe", 1, rpt_mixpe_doc, NULL },
	{ "lut-tc", "LUT Tensor Core (ISCA 2025): DP4 density and energy, table size, ablation, Llama-2-7B at equal area",
	  "lut-tc-paper.yaml", lut_tc_designs, lut_tc_models, lut_tc_scenarios,
	  "cycle", NULL, 1, rpt_lut_tc_doc, NULL },
	{ "flightllm", "FlightLLM (FPGA 2024): U280 decode tokens/s and prefill latency, variants, length buckets, VHK158",
	  "flightllm-paper.yaml", flightllm_designs, flightllm_models, flightllm_scenarios,
	  "cycle", NULL, 16, rpt_flightllm_doc, NULL },
	{ "shootout", "every PE family at one PE-array area on one memory system: Llama-2-7B, Llama-3-8B",
	  NULL, shootout_designs, shootout_models, shootout_scenarios,
	  "cycle, bit-true", NULL, 5, rpt_shootout_doc, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL },
};

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

const struct rpt_recipe rpt_recipes[] = {
	{ "bitmod", "BitMoD (HPCA 2025): speedup, energy and area of 5 designs on 6 LLMs",
	  "bitmod-paper.yaml", bitmod_designs, bitmod_models, bitmod_scenarios,
	  "compat, cycle", "bitmod", rpt_bitmod },
	{ "mixpe", "MixPE (2024): time and energy vs FP16 of 6 designs on ViT-B/H, OPT-6.7B, Llama-2-13B",
	  "mixpe-paper.yaml", mixpe_designs, mixpe_models, mixpe_scenarios,
	  "compat (mixpe), cycle", "mixpe", rpt_mixpe },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

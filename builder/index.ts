// mote's builder as a library: what the CLI calls, for scripts and tests.
// Re-exports the API and its types; each command in builder/commands/ is a
// thin adapter over one of these.
export { packApp, type PackOptions, type Packed } from './pack.ts';
export { resolveApp, type AppInfo } from './resolve-app.ts';
export { BOOT_LAYER, MOTE_ROOT } from './paths.ts';
export { bundle, type Bundle, type BundleOptions, type BundleShape } from './bundle.ts';
export { readImage, writeImage, ImageError, FORMAT_VERSION, type Image } from './image.ts';
export { extractPayload, type Extracted } from './extract.ts';
export { bootImage, QemuError, type BootOptions, type BootResult } from './qemu.ts';
export { checkQemuArgs } from './qemu-args.ts';
export { runHosted, hostedMemory, type HostedOptions, type HostedResult, type Payload } from './hosted/index.ts';
export { inspectImage, predict, expectedOutcome, type InspectReport, type Prediction, type Outcome } from './inspect.ts';
export { budgetImage, classify, type BudgetOptions, type BudgetReport, type BudgetRun } from './budget.ts';
export { parseSize, parseSizes, formatSize } from './size.ts';
export { parsePublish, addPublish, formatPublish } from './publish.ts';
export type { PortMapping } from './hosted/types.ts';
export { MoteError, InputError, BuildError, SetupError, LimitError, ArgumentError, StoppedError, CliError, formatDiagnostic, type Diagnostic } from './errors.ts';

// What the report ran on: CPU, cores, QEMU, OTP, Node, the accelerator,
// the hosted engine, and how busy the machine was (load averages before and after).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { QEMU, kvmWorks } from '../../builder/qemu.ts';

export interface Machine {
  cpu: string;
  cores: number;
  qemu: string;
  otp: string | null;
  erts: string | null;
  node: string;
  accel: 'kvm' | 'tcg';
  kvmNote: string;
  loadBefore: number[];
  /** What `mote run` and every hosted figure ran on (wasm since quickjs-emscripten was retired; older reports may say emscripten). */
  hostedEngine: 'wasm' | 'emscripten';
}

/** OTP's release and ERTS version, or null when erl is missing. */
function otp(): { otp: string; erts: string } | null {
  const r = spawnSync('erl', ['-noshell', '-eval', 'io:format("~s ~s", [erlang:system_info(otp_release), erlang:system_info(version)]), halt().'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const [rel, erts] = r.stdout.trim().split(' ');
  return { otp: rel!, erts: erts! };
}

/** erl where it is missing: apt's erlang-base, as the issue asks, only when
 *  we may (root); why not otherwise. Tests never need it. */
export function ensureErl(log: (s: string) => void): string | null {
  if (otp()) return null;
  if (process.getuid?.() !== 0) return 'erl not found and not root to install it (apt-get install erlang-base)';
  log('setup: installing erlang-base from apt');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'erlang-base']]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) return `apt-get ${args[0]} failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`;
  }
  return otp() ? null : 'erlang-base installed but erl does not run';
}

export async function describeMachine(): Promise<Machine> {
  const o = otp();
  const kvm = await kvmWorks();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    qemu: execFileSync(QEMU, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim(),
    otp: o?.otp ?? null,
    erts: o?.erts ?? null,
    node: process.version,
    // The benches boot with TCG (bench/boot-times.ts, net, the Linux VM), so
    // TCG is what every figure names even where KVM would work.
    accel: 'tcg',
    kvmNote: kvm ? 'KVM usable here, but every figure is TCG' : 'KVM not usable for the guest here (no /dev/kvm or its probe failed)',
    loadBefore: loadavg(),
    hostedEngine: 'wasm',
  };
}

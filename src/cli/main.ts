/**
 * `rotation` command-line tool. `npm start` runs `rotation run` on the built-in simulator.
 *
 * Exit codes: 0 success; 1 a run failed (data or computation error, message says what/where/fix);
 * 2 usage error (unknown command or option, bad value).
 */
import { RotationError } from '../errors.js';
import { commandHelp, parseOptions, type CommandSpec } from './args.js';
import { runPipeline } from './run.js';

const PROGRAM = 'rotation';

const COMMANDS: CommandSpec[] = [
  {
    name: 'run',
    summary: 'Run the whole research pipeline on a dataset and write its outputs under --out.',
    options: [
      { name: 'data', type: 'string', description: 'dataset: "sim" (built-in simulator), "citic" (shared CITIC L1 data), or a folder of exports', default: 'sim' },
      { name: 'seed', type: 'string', description: 'simulator seed (with --data sim)', default: '7' },
      { name: 'out', type: 'string', description: 'output folder', default: 'results' },
      { name: 'quiet', type: 'boolean', description: 'print only the final summary' },
    ],
  },
];

function usage(): string {
  const lines = [`Usage: ${PROGRAM} <command> [options]`, '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', `Run \`${PROGRAM} <command> --help\` for a command's options.`);
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`${PROGRAM}: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(PROGRAM, cmd));
    return 0;
  }
  let opts;
  try {
    opts = parseOptions(cmd, rest);
  } catch (e) {
    console.error(`${PROGRAM} ${cmd.name}: ${(e as Error).message}\n\n${commandHelp(PROGRAM, cmd)}`);
    return 2;
  }
  try {
    if (cmd.name === 'run') {
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) {
        console.error(`${PROGRAM} run: --seed must be an integer, got "${opts.seed}"`);
        return 2;
      }
      await runPipeline({ data: String(opts.data), seed, out: String(opts.out), quiet: opts.quiet === true });
    }
    return 0;
  } catch (e) {
    if (e instanceof RotationError) {
      console.error(`${PROGRAM} ${cmd.name}: [${e.code}] ${e.message}`);
      return 1;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] && /main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}

/**
 * Minimal, strict command-line parsing: `--name value`, `--name=value`, boolean `--flag`.
 * Unknown options are errors (with usage), never silently ignored.
 */
import { RotationError } from '../errors.js';

export interface OptionSpec {
  name: string;
  /** 'string' takes a value; 'boolean' is a flag. */
  type: 'string' | 'boolean';
  description: string;
  default?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  options: OptionSpec[];
  /** Positional arguments, in order, all required (e.g. compare's two run ids). */
  positionals?: { name: string; description: string }[];
}

export type ParsedOptions = Record<string, string | boolean | undefined>;

/** Parse argv (after the command name) against a command's option specs. */
export function parseOptions(cmd: CommandSpec, argv: readonly string[]): ParsedOptions {
  const out: ParsedOptions = {};
  const positionals = cmd.positionals ?? [];
  let nextPositional = 0;
  for (const o of cmd.options) if (o.default !== undefined) out[o.name] = o.default;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (!a.startsWith('--') && nextPositional < positionals.length) {
      out[positionals[nextPositional++].name] = a;
      continue;
    }
    if (!a.startsWith('--')) {
      throw new RotationError('CLI_UNEXPECTED_ARGUMENT', `Unexpected argument "${a}"`, { command: cmd.name }, `see \`rotation ${cmd.name} --help\``);
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = cmd.options.find((o) => o.name === name);
    if (!spec) {
      throw new RotationError('CLI_UNKNOWN_OPTION', `Unknown option --${name}`, { command: cmd.name },
        `valid options: ${cmd.options.map((o) => `--${o.name}`).join(', ') || '(none)'}`);
    }
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new RotationError('CLI_BAD_VALUE', `--${name} is a flag and takes no value`, { command: cmd.name }, `write --${name} alone`);
      out[name] = true;
    } else {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++k];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) {
        throw new RotationError('CLI_MISSING_VALUE', `--${name} needs a value`, { command: cmd.name }, `write --${name} VALUE`);
      }
      out[name] = v;
    }
  }
  if (nextPositional < positionals.length) {
    const missing = positionals.slice(nextPositional).map((p) => p.name.toUpperCase());
    throw new RotationError('CLI_MISSING_OPTION', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`, { command: cmd.name },
      `write rotation ${cmd.name} ${positionals.map((p) => p.name.toUpperCase()).join(' ')}`);
  }
  return out;
}

/** Usage text for a command. */
export function commandHelp(program: string, cmd: CommandSpec): string {
  const width = Math.max(10, ...cmd.options.map((o) => o.name.length + (o.type === 'string' ? 8 : 0)));
  const pos = cmd.positionals ?? [];
  const lines = [`Usage: ${program} ${cmd.name}${pos.map((p) => ` ${p.name.toUpperCase()}`).join('')} [options]`, '', cmd.summary, ''];
  if (pos.length) lines.push('Arguments:', ...pos.map((p) => `  ${p.name.toUpperCase().padEnd(width + 4)}${p.description}`), '');
  lines.push('Options:');
  for (const o of [...cmd.options, { name: 'help', type: 'boolean' as const, description: 'show this help' }]) {
    const flag = `--${o.name}${o.type === 'string' ? ' VALUE' : ''}`;
    const def = 'default' in o && o.default !== undefined ? ` (default: ${o.default})` : '';
    lines.push(`  ${flag.padEnd(width + 4)}${o.description}${def}`);
  }
  return lines.join('\n');
}

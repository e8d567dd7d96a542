import type { Language } from '@chattigo/contracts/language';
import { ROLES, type Role } from '@chattigo/contracts/roles';
import { translate } from '../i18n/index.ts';
import type { Command } from './command.ts';

/** The syntax line of a command: `!tipificacion agregar <campaña|global> <CÓDIGO> "<etiqueta>" ["<descripción>"]`. */
export function usage(command: Command, lang: Language): string {
  const parts = [`!${command.words[lang].join(' ')}`];
  for (const arg of command.args) parts.push(arg.optional ? `[${arg.placeholder[lang]}]` : arg.placeholder[lang]);
  for (const flag of command.flags ?? []) parts.push(`[--${flag.names[lang]}]`);
  return parts.join(' ');
}

export function syntaxLine(command: Command, lang: Language): string {
  return translate(lang, 'commands.help.syntax', { usage: usage(command, lang) });
}

/** The syntax lines of several commands, as a block that ends an error message. */
export function syntaxBlock(commands: readonly Command[], lang: Language): string {
  if (commands.length === 1 && commands[0]) return syntaxLine(commands[0], lang);
  return [translate(lang, 'commands.help.syntaxBlock'), ...commands.map((c) => `  ${usage(c, lang)}`)].join('\n');
}

function aliasLine(command: Command, lang: Language): string | undefined {
  const aliases = command.aliases?.[lang] ?? [];
  if (aliases.length === 0) return undefined;
  const words = aliases.map((a) => `!${a.join(' ')}`).join(', ');
  return `    ${translate(lang, 'commands.help.also', { words })}`;
}

/** One command in detail: syntax, what it does, options, aliases and notes. */
export function commandHelp(command: Command, lang: Language): string {
  const lines = [usage(command, lang), `    ${command.summary[lang]}`];
  for (const flag of command.flags ?? []) lines.push(`    --${flag.names[lang]}: ${flag.help[lang]}`);
  const aliases = aliasLine(command, lang);
  if (aliases) lines.push(aliases);
  if (command.roles !== 'anyone' && command.roles.length > 0) {
    lines.push(`    ${translate(lang, 'commands.help.only', { roles: command.roles.map((r) => roleName(r, lang)).join(', ') })}`);
  }
  if (command.details) lines.push(...command.details[lang].split('\n').map((l) => `    ${l}`));
  return lines.join('\n');
}

const isRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);

/** The people a role names, in the plural: `administradores` / `admins`. */
export function roleName(role: string, lang: Language): string {
  return isRole(role) ? translate(lang, `roles.${role}`) : role;
}

/** The full help: every given command with its syntax and summary. */
export function renderHelp(commands: readonly Command[], lang: Language): string {
  const title = translate(lang, 'commands.help.title');
  const body = commands.map((c) => `${usage(c, lang)}\n    ${c.summary[lang]}`);
  const example = (commands.find((c) => c.words[lang].length > 1) ?? commands[0])?.words[lang][0] ?? '';
  const more = translate(lang, 'commands.help.more', { example });
  return [title, ...body, '', translate(lang, 'commands.help.quoting'), more].join('\n');
}

import type { Language } from '../errors.ts';
import type { Command } from './command.ts';

/** The syntax line of a command: `!tipificacion agregar <campaña|global> <CÓDIGO> "<etiqueta>" ["<descripción>"]`. */
export function usage(command: Command, lang: Language): string {
  const parts = [`!${command.words[lang].join(' ')}`];
  for (const arg of command.args) parts.push(arg.optional ? `[${arg.placeholder[lang]}]` : arg.placeholder[lang]);
  for (const flag of command.flags ?? []) parts.push(`[--${flag.names[lang]}]`);
  return parts.join(' ');
}

export function syntaxLine(command: Command, lang: Language): string {
  return `${lang === 'es' ? 'Sintaxis' : 'Syntax'}: ${usage(command, lang)}`;
}

/** The syntax lines of several commands, as a block that ends an error message. */
export function syntaxBlock(commands: readonly Command[], lang: Language): string {
  if (commands.length === 1 && commands[0]) return syntaxLine(commands[0], lang);
  return [lang === 'es' ? 'Sintaxis:' : 'Syntax:', ...commands.map((c) => `  ${usage(c, lang)}`)].join('\n');
}

function aliasLine(command: Command, lang: Language): string | undefined {
  const aliases = command.aliases?.[lang] ?? [];
  if (aliases.length === 0) return undefined;
  const words = aliases.map((a) => `!${a.join(' ')}`).join(', ');
  return `    ${lang === 'es' ? 'También' : 'Also'}: ${words}`;
}

/** One command in detail: syntax, what it does, options, aliases and notes. */
export function commandHelp(command: Command, lang: Language): string {
  const lines = [usage(command, lang), `    ${command.summary[lang]}`];
  for (const flag of command.flags ?? []) lines.push(`    --${flag.names[lang]}: ${flag.help[lang]}`);
  const aliases = aliasLine(command, lang);
  if (aliases) lines.push(aliases);
  if (command.roles !== 'anyone' && command.roles.length > 0) {
    lines.push(`    ${lang === 'es' ? 'Solo' : 'Only'}: ${command.roles.map((r) => roleName(r, lang)).join(', ')}`);
  }
  if (command.details) lines.push(...command.details[lang].split('\n').map((l) => `    ${l}`));
  return lines.join('\n');
}

export function roleName(role: string, lang: Language): string {
  const names: Record<string, { es: string; en: string }> = {
    admin: { es: 'administradores', en: 'admins' },
    supervisor: { es: 'supervisores', en: 'supervisors' },
    agent: { es: 'agentes', en: 'agents' },
  };
  return names[role]?.[lang] ?? role;
}

export const QUOTING_NOTE = {
  es: 'Los textos con espacios van entre comillas: "Venta cerrada". Dentro de las comillas, \\" escribe una comilla.',
  en: 'Text with spaces goes in double quotes: "Sale closed". Inside quotes, \\" writes a quote.',
};

/** The full help: every given command with its syntax and summary. */
export function renderHelp(commands: readonly Command[], lang: Language): string {
  const title = lang === 'es' ? 'Comandos disponibles aquí:' : 'Commands available here:';
  const body = commands.map((c) => `${usage(c, lang)}\n    ${c.summary[lang]}`);
  const example = (commands.find((c) => c.words[lang].length > 1) ?? commands[0])?.words[lang][0] ?? '';
  const more =
    lang === 'es'
      ? `Escriba !ayuda <comando> para ver el detalle de un comando (p. ej. !ayuda ${example}).`
      : `Type !help <command> for the details of a command (e.g. !help ${example}).`;
  return [title, ...body, '', QUOTING_NOTE[lang], more].join('\n');
}

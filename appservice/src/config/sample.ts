import type { TSchema } from 'typebox';
import { ConfigSchema } from './schema.ts';

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  anyOf?: SchemaNode[];
  const?: unknown;
}

/** A default as YAML: strings quoted, lists as a flow sequence (JSON is valid YAML for both). */
function scalar(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function choices(node: SchemaNode): string | undefined {
  const consts = node.anyOf?.map((n) => n.const).filter((c) => c !== undefined);
  return consts && consts.length > 0 ? `one of: ${consts.join(', ')}` : undefined;
}

function render(node: SchemaNode, indent: string, lines: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const optional = !(node.required ?? []).includes(key);
    if (child.description) {
      for (const line of child.description.split('\n')) lines.push(`${indent}# ${line}`);
    }
    const allowed = choices(child);
    if (allowed) lines.push(`${indent}# ${allowed}`);
    if (child.type === 'object' && child.properties) {
      const section = [`${indent}${key}:`];
      render(child, `${indent}  `, section);
      // An optional section is shown commented out, with its fields, ready to enable.
      for (const line of section) lines.push(optional ? line.replace(/^(\s*)(# )?/, (_m, sp: string) => `${sp}# `) : line);
      lines.push('');
    } else if (child.default !== undefined) {
      lines.push(`${indent}${key}: ${scalar(child.default)}`);
    } else {
      lines.push(`${indent}${optional ? '# ' : ''}${key}: ${optional ? '' : '""'}`.trimEnd());
    }
  }
}

/** The sample configuration, generated from the schema: every field, its description and default. */
export function renderSampleConfig(schema: TSchema = ConfigSchema): string {
  const lines = [
    '# Chattigo appservice configuration.',
    '# Generated from appservice/src/config/schema.ts by `./dev sample-config --write`; do not edit by hand.',
    '# Every value shown is the default; relative paths are relative to this file.',
    '',
  ];
  const sections = schema as unknown as SchemaNode;
  for (const [key, section] of Object.entries(sections.properties ?? {})) {
    if (section.description) lines.push(`# ${section.description}`);
    lines.push(`${key}:`);
    render(section, '  ', lines);
    if (lines.at(-1) !== '') lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

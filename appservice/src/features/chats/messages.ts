import type { Language } from '../../errors.ts';

export interface TypificationOption {
  code: string;
  label: string;
}

export const listCodes = (options: readonly TypificationOption[]) =>
  options.length === 0 ? '—' : options.map((t) => `${t.code} (${t.label})`).join(', ');

export const texts = {
  opened: (lang: Language, starter: string, campaign: string | null) =>
    lang === 'es'
      ? `${starter} abrió este chat${campaign ? ` (campaña ${campaign})` : ''}. Para cerrarlo: !cerrar <código>; los códigos válidos: !tipificaciones.`
      : `${starter} opened this chat${campaign ? ` (campaign ${campaign})` : ''}. To close it: !close <code>; valid codes: !typifications.`,
  closed: (lang: Language, by: string, t: TypificationOption) =>
    lang === 'es'
      ? `${by} cerró este chat con la tipificación ${t.code} — ${t.label}. El chat queda de solo lectura.`
      : `${by} closed this chat with the typification ${t.code} — ${t.label}. The chat is now read-only.`,
  typifications: (lang: Language, options: readonly TypificationOption[]) =>
    lang === 'es'
      ? `Tipificaciones válidas para cerrar este chat: ${listCodes(options)}. Use: !cerrar <código>`
      : `Valid typifications to close this chat: ${listCodes(options)}. Use: !close <code>`,
};

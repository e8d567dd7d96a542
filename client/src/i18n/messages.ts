/** Every string the client shows, in Spanish (default) and English. */
export const messages = {
  es: {
    appTitle: 'Chat entre agentes',
    loading: 'Cargando…',
    serverStatus: 'Estado del servidor',
    serverReady: 'Servicio disponible',
    serverUnavailable: 'Servicio no disponible',
    language: 'Idioma',
  },
  en: {
    appTitle: 'Agent chat',
    loading: 'Loading…',
    serverStatus: 'Server status',
    serverReady: 'Service available',
    serverUnavailable: 'Service unavailable',
    language: 'Language',
  },
} as const;

export type Language = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['es'];

import type { Language } from '@chattigo/contracts/language';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { perLanguage, render, translate, type Localized, type Message } from './i18n/index.ts';
import type { FieldProblem } from './validation.ts';

/**
 * The one error type of the appservice: a Matrix-style `errcode`, an HTTP status, a message for
 * the user (a catalog key and its parameters, rendered in the reader's language where the error is
 * answered), and detail that goes only to the log.
 */
export class AppError extends Error {
  readonly status: number;
  readonly errcode: string;
  readonly userMessage: Message;
  readonly problems: readonly FieldProblem[] | undefined;

  constructor(
    status: number,
    errcode: string,
    userMessage: Message,
    options: { detail?: string; problems?: readonly FieldProblem[]; cause?: unknown } = {},
  ) {
    super(options.detail ?? render('en', userMessage), { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.errcode = errcode;
    this.userMessage = userMessage;
    this.problems = options.problems;
  }

  /** The message for the user, in `lang`. */
  userText(lang: Language): string {
    return render(lang, this.userMessage);
  }

  /** The message for the user in each language. */
  get userTexts(): Localized {
    return perLanguage((lang) => this.userText(lang));
  }
}

/** Spanish unless the request prefers English. */
export function requestLanguage(request: Pick<FastifyRequest, 'headers'>): Language {
  const header = request.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'es';
}

export interface ErrorBody {
  errcode: string;
  error: string;
  problems?: readonly FieldProblem[];
}

/** Turns any thrown error into a response body; a 5xx says nothing about the cause. */
export function errorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): void {
  const lang = requestLanguage(request);
  if (error instanceof AppError) {
    if (error.status >= 500) request.log.error({ err: error }, 'request failed');
    const body: ErrorBody = { errcode: error.errcode, error: error.userText(lang) };
    if (error.problems) body.problems = error.problems;
    void reply.status(error.status).send(body);
    return;
  }
  if (error.validation) {
    const problems: FieldProblem[] = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'is invalid',
    }));
    const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    void reply.status(400).send({
      errcode: 'M_BAD_JSON',
      error: translate(lang, 'http.invalidRequest', { summary }),
      problems,
    } satisfies ErrorBody);
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send({
      errcode: 'M_UNKNOWN',
      error: translate(lang, 'http.internalError'),
    } satisfies ErrorBody);
    return;
  }
  const errcode = status === 413 ? 'M_TOO_LARGE' : status === 404 ? 'M_NOT_FOUND' : 'M_BAD_JSON';
  void reply.status(status).send({ errcode, error: error.message } satisfies ErrorBody);
}

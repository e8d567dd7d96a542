import Type, { type Static } from 'typebox';

/** The password rule (DESIGN §5): at least 8 characters (code points), no composition rules. */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest password the appservice accepts (it bounds the cost of hashing). */
export const MAX_PASSWORD_LENGTH = 1024;

/** `POST /api/v1/password/forgot` (202): the same answer whether or not the account exists. */
export const ForgotPasswordResponseSchema = Type.Object({ message: Type.String() });
export type ForgotPasswordResponse = Static<typeof ForgotPasswordResponseSchema>;

/** `POST /api/v1/password/reset` (200). */
export const ResetPasswordResponseSchema = Type.Object({ username: Type.String(), message: Type.String() });
export type ResetPasswordResponse = Static<typeof ResetPasswordResponseSchema>;

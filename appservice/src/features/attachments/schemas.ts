import Type from 'typebox';

/** `GET /api/v1/attachments/policy`; TypeBox only, so the web client imports it too. */
export const AttachmentPolicyView = Type.Object({
  maxSizeBytes: Type.Integer({ minimum: 1 }),
  kinds: Type.Array(
    Type.Object({ kind: Type.String(), mime: Type.String(), extensions: Type.Array(Type.String()), image: Type.Boolean() }),
  ),
});

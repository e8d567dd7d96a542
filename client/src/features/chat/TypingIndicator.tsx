import type { RoomMember } from 'matrix-js-sdk';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export function TypingIndicator({ members }: { members: RoomMember[] }) {
  const { t } = useI18n();
  const text = members.length === 0 ? '' : members.length === 1 ? t('typingOne', { name: members[0]?.name ?? '' }) : t('typingMany');
  return (
    <p className="typing" aria-live="polite">
      {text}
    </p>
  );
}

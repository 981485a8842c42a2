import type { PendingFever } from '../../domain/fever-pending';
import { useT } from '../../ui/i18n';

/** "1 人发热待处置": in the header of every screen until a referral or isolation is recorded; opens the alert. */
export function FeverBar({
  fevers,
  onOpen,
}: {
  fevers: readonly PendingFever[];
  onOpen: (fever: PendingFever) => void;
}) {
  const t = useT();
  const [oldest] = fevers;
  if (!oldest) return null;
  return (
    <button type="button" class="fever-bar" onClick={() => onOpen(oldest)}>
      {t('fever.pending', { count: fevers.length })}
    </button>
  );
}

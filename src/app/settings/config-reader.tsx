import { lightFormat } from 'date-fns';
import { useSession } from '../session';
import { CodeReader } from './code-reader';
import { importPushedConfig } from './config-import';

/**
 * Which of the office's configurations this gate runs, and taking a newer one by hand on a gate
 * that cannot sync (see config-import.ts).
 */
export function ConfigReader() {
  const session = useSession();
  const { t, config } = session;
  const time = (ms: number) => lightFormat(ms, 'yyyy-MM-dd HH:mm');
  return (
    <>
      <p>
        {config.pushed
          ? t('pushed.running', {
              at: time(config.pushed.at),
              since: time(config.pushed.appliedAt),
            })
          : t('pushed.none')}
      </p>
      <CodeReader
        words={{
          field: 'pushed.field',
          read: 'pushed.read',
          file: 'pushed.file',
          photo: 'pushed.photo',
        }}
        take={(input) => importPushedConfig(session, input)}
      />
    </>
  );
}

import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { loadLang, loadScreenWords } from '../../src/i18n';

// English and the screens' Chinese are loaded on demand in the app; tests use them directly.
await loadLang('en');
await loadScreenWords();

afterEach(() => cleanup());

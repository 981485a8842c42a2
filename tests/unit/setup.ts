import 'fake-indexeddb/auto';
import { loadLang } from '../../src/i18n';

// English is loaded on demand in the app; tests use both languages directly.
await loadLang('en');

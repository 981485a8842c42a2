import { Preset } from '../domain/config';

/**
 * A county's preset for its devices, from the config.json served beside the app. Only read while
 * the device has never been set up; anything missing or malformed simply means no preset.
 */
export async function fetchPreset(fetchFn: typeof fetch = fetch): Promise<Preset | undefined> {
  try {
    const response = await fetchFn('config.json', { cache: 'no-store', redirect: 'manual' });
    if (!response.ok) return undefined;
    const preset = Preset.safeParse(await response.json());
    return preset.success ? preset.data : undefined;
  } catch {
    return undefined;
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Web Audio (the test environment has none): what the signal asks of it.
class FakeAudio {
  static made: FakeAudio[] = [];
  currentTime = 0;
  destination = {};
  calls: string[] = [];
  oscillators: { onended: (() => void) | null }[] = [];
  constructor() {
    FakeAudio.made.push(this);
  }
  resume() {
    this.calls.push('resume');
    return Promise.resolve();
  }
  suspend() {
    this.calls.push('suspend');
    return Promise.resolve();
  }
  createOscillator() {
    const node = {
      frequency: { value: 0 },
      onended: null,
      connect: (next: unknown) => next,
      start: () => {},
      stop: () => {},
    };
    this.oscillators.push(node);
    return node;
  }
  createGain() {
    const param = { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} };
    return { gain: param, connect: (next: unknown) => next };
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  FakeAudio.made = [];
});

describe('the verdict’s tones', () => {
  it('start the audio output for each signal and stop it once no tone sounds', async () => {
    vi.stubGlobal('AudioContext', FakeAudio);
    vi.stubGlobal('navigator', {});
    const { signal } = await import('../../src/app/gate/feedback');
    signal('ok');
    signal('attention');
    const [audio] = FakeAudio.made;
    if (!audio) throw new Error('no audio context made');
    expect(FakeAudio.made).toHaveLength(1);
    expect(audio.oscillators).toHaveLength(3);
    expect(audio.calls).toEqual(['resume', 'resume']);
    // The first beep ends while the second signal's still sound: the output stays on.
    audio.oscillators[0]?.onended?.();
    expect(audio.oscillators[1]?.onended).toBeNull();
    expect(audio.calls).toEqual(['resume', 'resume']);
    audio.oscillators[2]?.onended?.();
    expect(audio.calls).toEqual(['resume', 'resume', 'suspend']);
    signal('alarm');
    expect(audio.calls).toEqual(['resume', 'resume', 'suspend', 'resume']);
    expect(audio.oscillators).toHaveLength(6);
  });

  it('are made ready while the gate is idle, stopped until the first signal', async () => {
    vi.stubGlobal('AudioContext', FakeAudio);
    vi.stubGlobal('navigator', {});
    const idle: (() => void)[] = [];
    vi.stubGlobal('requestIdleCallback', (run: () => void) => idle.push(run));
    const { prepareSignals, signal } = await import('../../src/app/gate/feedback');
    prepareSignals();
    expect(FakeAudio.made).toHaveLength(0);
    idle.shift()?.();
    const [audio] = FakeAudio.made;
    if (!audio) throw new Error('no audio context made');
    expect(audio.calls).toEqual(['suspend']);
    signal('ok');
    expect(FakeAudio.made).toHaveLength(1);
    expect(audio.calls).toEqual(['suspend', 'resume']);
    expect(audio.oscillators).toHaveLength(1);
    // Opening the gate again makes nothing new.
    prepareSignals();
    idle.shift()?.();
    expect(FakeAudio.made).toHaveLength(1);
    expect(audio.calls).toEqual(['suspend', 'resume']);
  });
});

// The verdict is also a sound and a vibration: the volunteer may be looking at the person, not the
// screen. Both are best-effort; a phone on silent or without a vibrator just shows the colour.

// A fever is not a refusal: a rising two-tone siren and long pulses, so a volunteer who hears it
// turns round to the screen instead of waving the next person on.
type Signal = 'ok' | 'attention' | 'alarm' | 'fever';

const TONES: Record<Signal, { hz: number[]; beeps: number }> = {
  ok: { hz: [1320], beeps: 1 },
  attention: { hz: [880], beeps: 2 },
  alarm: { hz: [440], beeps: 3 },
  fever: { hz: [660, 990], beeps: 6 },
};
const VIBRATIONS: Record<Signal, number[]> = {
  ok: [80],
  attention: [120, 80, 120],
  alarm: [300, 120, 300, 120, 300],
  fever: [800, 200, 800, 200, 800],
};

let audio: AudioContext | undefined;
/** Signals whose tones are still sounding: the audio output is stopped once none is. */
let sounding = 0;

/**
 * Makes the audio output ready while the gate is idle, stopped until the first signal: making it
 * takes tens of milliseconds of the page's thread, which the first verdicts would otherwise wait for.
 */
export function prepareSignals(): void {
  const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 0));
  whenIdle(() => {
    try {
      if (audio) return;
      audio = new AudioContext();
      if (sounding === 0) void audio.suspend();
    } catch {
      // No audio output: the first signal tries again.
    }
  });
}

export function signal(kind: Signal): void {
  navigator.vibrate?.(VIBRATIONS[kind]);
  try {
    audio ??= new AudioContext();
    const context = audio;
    // Stopped between signals: a running context keeps the phone's audio output awake (battery,
    // and a processor a gate phone shares with its camera and its database).
    void context.resume();
    const { hz, beeps } = TONES[kind];
    let last: OscillatorNode | undefined;
    for (let i = 0; i < beeps; i++) {
      const start = context.currentTime + i * 0.2;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = hz[i % hz.length] ?? 440;
      gain.gain.setValueAtTime(0.3, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.16);
      last = oscillator;
    }
    sounding += 1;
    if (last)
      last.onended = () => {
        sounding -= 1;
        if (sounding === 0) void context.suspend();
      };
  } catch {
    // No audio output (or not allowed yet): the colour and vibration still tell.
  }
}

/**
 * The signal of a verdict being drawn now, given once it is (the next task, within the frame): the
 * colour is what the volunteer waits for, and making the tones takes longer than drawing it.
 */
export function signalAfterDrawing(kind: Signal): void {
  setTimeout(() => signal(kind), 0);
}

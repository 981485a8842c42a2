import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { TemperaturePad } from '../../src/ui/temperature-pad';

function renderPad() {
  const onSave = vi.fn();
  const onMethod = vi.fn();
  render(
    <TemperaturePad
      heading="测体温"
      method="forehead"
      onMethod={onMethod}
      onSave={onSave}
      issues={[]}
    />,
  );
  return { onSave, onMethod };
}

describe('TemperaturePad', () => {
  it('saves a common reading in two taps', () => {
    const { onSave } = renderPad();
    fireEvent.click(screen.getByRole('button', { name: '36.5' }));
    fireEvent.click(screen.getByRole('button', { name: '保存 36.5 °C' }));
    expect(onSave).toHaveBeenCalledExactlyOnceWith(36.5);
  });

  it('takes three digits with the decimal point implied', () => {
    const { onSave } = renderPad();
    for (const key of ['3', '8', '2']) fireEvent.click(screen.getByRole('button', { name: key }));
    expect(screen.getByLabelText('读数').textContent).toBe('38.2 °C');
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    expect(screen.getByLabelText('读数').textContent).toBe('38 °C');
    fireEvent.click(screen.getByRole('button', { name: '7' }));
    fireEvent.click(screen.getByRole('button', { name: '保存 38.7 °C' }));
    expect(onSave).toHaveBeenCalledExactlyOnceWith(38.7);
  });

  it('cannot save before a reading is complete', () => {
    const { onSave } = renderPad();
    fireEvent.click(screen.getByRole('button', { name: '3' }));
    const save = screen.getByRole('button', { name: '保存' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(save);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('offers every measuring method, the current one pressed', () => {
    const { onMethod } = renderPad();
    expect(screen.getByRole('button', { name: '额温' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: '耳温' }));
    expect(onMethod).toHaveBeenCalledExactlyOnceWith('ear');
    expect(
      ['腕温', '口温', '腋温'].map((name) =>
        screen.getByRole('button', { name }).getAttribute('aria-pressed'),
      ),
    ).toEqual(['false', 'false', 'false']);
  });
});

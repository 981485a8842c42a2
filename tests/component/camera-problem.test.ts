import { describe, expect, it } from 'vitest';
import { cameraProblem } from '../../src/scan/camera';

describe('cameraProblem', () => {
  it.each([
    [new DOMException('Permission denied', 'NotAllowedError'), 'denied'],
    ['NotAllowedError: Permission denied', 'denied'],
    [new DOMException('Requested device not found', 'NotFoundError'), 'missing'],
    [new DOMException('Could not start video source', 'NotReadableError'), 'busy'],
    ['Error getting userMedia, error = NotReadableError: Could not start video source', 'busy'],
    [new Error('something else'), 'failed'],
    [undefined, 'failed'],
  ])('%s → %s', (error, problem) => {
    expect(cameraProblem(error)).toBe(problem);
  });
});

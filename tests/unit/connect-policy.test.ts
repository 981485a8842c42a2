import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, META_CONNECT } from '../../server/csp';
import { connectAllowed } from '../../src/domain/connect-policy';

const self = 'https://gate.example.cn/';
const header = contentSecurityPolicy(['https://report.example.cn', 'http://10.0.0.8:8080']);
const meta = contentSecurityPolicy(META_CONNECT, false);

describe('connectAllowed', () => {
  it.each([
    ['the app’s own origin', 'https://gate.example.cn/api/v1', true],
    ['the preset’s endpoint', 'https://report.example.cn/api/v1', true],
    ['an extra origin with its port', 'http://10.0.0.8:8080/api/v1', true],
    ['the same host on another port', 'http://10.0.0.8:9090/api/v1', false],
    ['another HTTPS endpoint', 'https://couch.example.org/kadian', false],
    ['plain HTTP to the own host', 'http://gate.example.cn/api/v1', false],
    ['not a URL', 'report.example.cn', false],
  ])('under the receiver’s header: %s → %s', (_, endpoint, allowed) => {
    expect(connectAllowed([header], endpoint, self)).toBe(allowed);
  });

  it.each([
    ['any HTTPS endpoint', 'https://couch.example.org/kadian', true],
    ['loopback on any port', 'http://127.0.0.1:5984/kadian', true],
    ['plain HTTP elsewhere', 'http://192.0.2.7/records', false],
  ])('under the built page’s <meta> policy: %s → %s', (_, endpoint, allowed) => {
    expect(connectAllowed([meta], endpoint, self)).toBe(allowed);
  });

  it('needs every policy to allow it, and allows anything where no policy speaks of it', () => {
    expect(connectAllowed([header, meta], 'https://couch.example.org/kadian', self)).toBe(false);
    expect(connectAllowed(["img-src 'self'"], 'http://192.0.2.7/x', self)).toBe(true);
    expect(connectAllowed(["default-src 'self'"], 'http://192.0.2.7/x', self)).toBe(false);
    expect(connectAllowed(['connect-src *.example.cn'], 'https://a.example.cn/x', self)).toBe(true);
    expect(connectAllowed(['connect-src *.example.cn'], 'https://example.cn/x', self)).toBe(false);
    expect(connectAllowed(['connect-src *'], 'http://192.0.2.7/x', self)).toBe(true);
  });
});

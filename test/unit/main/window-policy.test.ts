import { describe, expect, it } from 'vitest';
import { allowsFrameLoad, consoleOrigin, externalUrl, isConsoleUrl, mayCallShell } from '../../../src-main/electron/window-policy';

const ORIGIN = 'http://127.0.0.1:8000';

describe('consoleOrigin', () => {
  it('is the API origin, with a wildcard listen address reached on loopback', () => {
    expect(consoleOrigin('http://127.0.0.1:8000')).toBe(ORIGIN);
    expect(consoleOrigin('http://0.0.0.0:8000')).toBe(ORIGIN);
    expect(consoleOrigin('http://[::]:9000')).toBe('http://[::1]:9000');
    expect(consoleOrigin('http://192.168.1.5:8000')).toBe('http://192.168.1.5:8000');
  });
});

describe('isConsoleUrl', () => {
  it('accepts the console origin only: same scheme, host and port', () => {
    expect(isConsoleUrl(`${ORIGIN}/#/jobs`, ORIGIN)).toBe(true);
    expect(isConsoleUrl(`${ORIGIN}/api/v1/openapi.json`, ORIGIN)).toBe(true);
    for (const other of ['http://127.0.0.1:8001/', 'http://localhost:8000/', 'https://127.0.0.1:8000/', 'file:///app/index.html', 'not a url', '']) {
      expect(isConsoleUrl(other, ORIGIN), other).toBe(false);
    }
  });
});

describe('externalUrl', () => {
  it('lets http and https through, and nothing else', () => {
    expect(externalUrl('https://example.com/docs?a=1')).toBe('https://example.com/docs?a=1');
    expect(externalUrl('http://127.0.0.1:8000/api/v1/openapi.json')).toBe('http://127.0.0.1:8000/api/v1/openapi.json');
    for (const refused of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-settings:', 'example.com', 42, null, `https://e.com/${'x'.repeat(2048)}`]) {
      expect(externalUrl(refused), String(refused).slice(0, 40)).toBeNull();
    }
  });
});

describe('allowsFrameLoad', () => {
  it('lets the main frame stay on the console, and a subframe show only the Mail view srcdoc', () => {
    expect(allowsFrameLoad({ url: `${ORIGIN}/`, isMainFrame: true }, ORIGIN)).toBe(true);
    expect(allowsFrameLoad({ url: 'https://example.com/', isMainFrame: true }, ORIGIN)).toBe(false);
    expect(allowsFrameLoad({ url: 'about:srcdoc', isMainFrame: true }, ORIGIN)).toBe(false);
    expect(allowsFrameLoad({ url: 'about:srcdoc', isMainFrame: false }, ORIGIN)).toBe(true);
    expect(allowsFrameLoad({ url: `${ORIGIN}/`, isMainFrame: false }, ORIGIN)).toBe(false);
  });
});

describe('mayCallShell', () => {
  it("answers only the main frame of the console's own window, on the console origin", () => {
    const own = { ownWindow: true, isMainFrame: true, url: `${ORIGIN}/#/settings` };
    expect(mayCallShell(own, ORIGIN)).toBe(true);
    expect(mayCallShell({ ...own, ownWindow: false }, ORIGIN)).toBe(false);
    expect(mayCallShell({ ...own, isMainFrame: false }, ORIGIN)).toBe(false);
    expect(mayCallShell({ ...own, url: 'https://example.com/' }, ORIGIN)).toBe(false);
  });
});

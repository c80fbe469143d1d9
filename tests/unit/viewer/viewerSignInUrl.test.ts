import { describe, expect, it } from 'vitest';
import { signInUrl } from '../../../viewer/src/access/signInUrl.js';

describe('signInUrl', () => {
  it('carries where the viewer is (path, query, hash) as next', () => {
    const url = signInUrl('/auth/login', { pathname: '/gallery/', search: '?debug=1', hash: '#item=0123abcd' });
    expect(url).toBe('/auth/login?next=%2Fgallery%2F%3Fdebug%3D1%23item%3D0123abcd');
    expect(new URL(url, 'https://site.example').searchParams.get('next')).toBe('/gallery/?debug=1#item=0123abcd');
  });

  it('adds next to a sign-in URL that has a query already', () => {
    const url = new URL(signInUrl('/auth/login?prompt=login', { pathname: '/', search: '', hash: '' }), 'https://site.example');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('next')).toBe('/');
  });
});

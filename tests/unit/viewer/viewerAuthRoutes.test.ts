import { describe, expect, it } from 'vitest';
import { authRoutes as serverRoutes } from '../../../functions/stages/access/index.js';
import { authRoutes } from '../../../viewer/src/access/authRoutes.js';

describe("the viewer's auth routes", () => {
  it("are the auth function's (the viewer spells them out to keep the configuration out of its bundle)", () => {
    expect(authRoutes).toEqual({ session: serverRoutes.session, logout: serverRoutes.logout, shares: serverRoutes.shares });
  });
});

/**
 * The sign-in routes the viewer uses (functions/stages/access, under pipelineConfig.access.routePrefix).
 * Spelled out rather than imported: the bundle carries no configuration beyond the viewer's own
 * (a unit test checks they match the auth function's).
 */
export const authRoutes = {
  session: '/auth/session',
  logout: '/auth/logout',
  shares: '/auth/shares',
} as const;

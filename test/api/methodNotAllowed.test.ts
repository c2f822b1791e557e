import express from 'express';
import request from 'supertest';
import { errorHandler, routeNotFound } from '../../api/errors';
import { openApiDocument } from '../../api/openapi';
import { errorOf, silent } from './support';

/**
 * A path of the route table (`GET /openapi.json`) asked with a method it does not answer is 405 with the
 * methods it does in `Allow` (RFC 9110), not 404; a path it does not have stays 404. The app's
 * own fallback, built from the published contract, behind nothing else.
 */
function fallbackApp() {
  const app = express();
  app.use(routeNotFound(openApiDocument().paths ?? {}));
  app.use(errorHandler(silent));
  return app;
}

describe('the fallback route', () => {
  it('answers 405 with Allow for a documented path under another method', async () => {
    // The route table: GET /v1/complaints/:id, the case view, and no other method on that path.
    const res = await request(fallbackApp()).delete('/v1/complaints/cmp-0001');
    expect(res.status).toBe(405);
    expect(errorOf(res).code).toBe('method_not_allowed');
    expect(res.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD']);

    // GET and POST /v1/complaints: list and open.
    const trace = await request(fallbackApp()).trace('/v1/complaints');
    expect(trace.status).toBe(405);
    expect(trace.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('answers 404 for a path the contract does not have', async () => {
    const res = await request(fallbackApp()).get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.allow).toBeUndefined();
    // One segment per parameter: a deeper path under a case is no case route.
    expect((await request(fallbackApp()).get('/v1/complaints/cmp-0001/no/such')).status).toBe(404);
  });
});

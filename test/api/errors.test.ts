import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { ApiError, toAnswer } from '../../api/errors';

/** The one error mapping (api/errors.ts): a caller's mistake is a 4xx, an outage a 503, the rest unrecognised (500). */

const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const grpc = (code: number) => Object.assign(new Error('grpc'), { code, details: 'grpc', metadata: {} });

describe('toAnswer', () => {
  it('keeps an ApiError as thrown, with its details and complaint', () => {
    const err = new ApiError(
      'not_owner',
      'only the owner may act',
      [{ path: 'actor', message: 'not the owner' }],
      'C-1',
    );
    expect(toAnswer(err)).toEqual({
      status: 403,
      body: {
        code: 'not_owner',
        message: 'only the owner may act',
        details: [{ path: 'actor', message: 'not the owner' }],
        complaintId: 'C-1',
      },
    });
  });

  it('answers a failed zod parse with 400 and one detail per field', () => {
    const parsed = z.object({ amountFen: z.number(), note: z.object({ text: z.string() }) }).safeParse({ note: {} });
    const answer = toAnswer(parsed.error, 'C-2');
    expect(answer?.status).toBe(400);
    expect(answer?.body).toMatchObject({ code: 'invalid_request', complaintId: 'C-2' });
    expect(answer?.body.details.map((d) => d.path)).toEqual(['amountFen', 'note.text']);
  });

  it('answers an unreadable body and an undecodable path with 400', () => {
    const body = Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' });
    const inflate = Object.assign(new Error('incorrect header check'), { status: 400, expose: true });
    const pathErr = Object.assign(new URIError('URI malformed'), { status: 400 });
    expect([body, inflate, pathErr].map((e) => toAnswer(e)?.body.code)).toEqual([
      'invalid_request',
      'invalid_request',
      'invalid_request',
    ]);
    expect(toAnswer(new URIError('URI malformed'))).toBeNull();
  });

  it("maps a workflow's refusal by its failure type, directly or inside a failed update", () => {
    const refusal = ApplicationFailure.create({
      type: 'wrong_stage',
      message: 'the case is not awaiting approval',
      nonRetryable: true,
    });
    expect(toAnswer(refusal)).toMatchObject({
      status: 409,
      body: { code: 'wrong_stage', message: 'the case is not awaiting approval' },
    });
    expect(toAnswer(new WorkflowUpdateFailedError('update failed', refusal), 'C-3')).toMatchObject({
      status: 409,
      body: { complaintId: 'C-3' },
    });
    const cap = ApplicationFailure.create({ type: 'amount_exceeds_paid', message: 'more than paid' });
    expect(toAnswer(new WorkflowUpdateFailedError('update failed', cap))?.status).toBe(422);
  });

  it('does not guess at a failure type outside the vocabulary', () => {
    expect(toAnswer(ApplicationFailure.create({ type: 'SomethingElse', message: 'x' }))).toBeNull();
    expect(toAnswer(new WorkflowUpdateFailedError('update failed', new Error('boom')))).toBeNull();
  });

  it('maps a missing workflow to 404 and a closed-while-asked case to 409', () => {
    expect(toAnswer(new WorkflowNotFoundError('not found', 'complaint-x', undefined))).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: 'no complaint complaint-x' },
    });
    expect(
      toAnswer(new WorkflowExecutionAlreadyStartedError('started', 'complaint-x', 'complaintWorkflow'))?.body.code,
    ).toBe('case_closed');
  });

  it('answers 503 when Temporal or the database cannot be reached, looking through causes', () => {
    expect(toAnswer(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))?.status).toBe(503);
    expect(toAnswer(grpc(14))?.body.code).toBe('unavailable');
    expect(toAnswer(new Error('call failed', { cause: grpc(4) }))?.body.code).toBe('unavailable');
    expect(toAnswer(grpc(3))).toBeNull();
    expect(toAnswer(named('MongoServerSelectionError'))?.body.message).toMatch(/database/);
    expect(
      toAnswer(named('MongooseError', 'Operation `cases.findOne()` buffering timed out after 10000ms'))?.status,
    ).toBe(503);
    expect(toAnswer(named('MongooseError', 'Cast to ObjectId failed'))).toBeNull();
  });

  it('answers 503 when Temporal refuses a case as not ready (FAILED_PRECONDITION: its workflow task timed out or failed several times in a row, a worker catching up), so the client tries again', () => {
    // What the server answers an update while a restarted worker catches up (the reliability run's kill trial).
    const notReady = Object.assign(grpc(9), {
      details: 'Unable to perform workflow execution update due to Workflow Task in failed state.',
    });
    expect(toAnswer(new Error('Workflow Update failed', { cause: notReady }), 'C-4')).toMatchObject({
      status: 503,
      body: { code: 'unavailable', complaintId: 'C-4' },
    });
  });

  it('leaves anything else unrecognised, for the handler to answer 500', () => {
    expect(toAnswer(new Error('boom'))).toBeNull();
    expect(toAnswer('a string')).toBeNull();
    expect(toAnswer(undefined)).toBeNull();
  });
});

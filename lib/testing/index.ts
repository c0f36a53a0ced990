/**
 * mx-statements-rx/testing — what the tests of an app that uses this library need: a fake client whose endpoints
 * are your marbles (the real workflow then runs in `TestScheduler` virtual time), a client bound to the embedded
 * sandbox and the input of an MX Bank run (end to end over real HTTP), a bounded wait for the library's requests
 * in Angular's `HttpTestingController`, and the in-memory sink. Browser-safe: no `node:` imports, no Angular
 * import (start the sandbox itself from `mx-statements-rx/sandbox`, in Node). `spec/dist/surface.spec.ts` pins
 * this list.
 *
 * @packageDocumentation
 */
export {
  fakeMxClient,
  type FakeMxApi, type FakeMxCall, type FakeMxClient, type FakeMxClientOptions, type MxEndpointGroup,
} from './fake-client.js';
export { sandboxClient, mxBankInput, type SandboxEndpoint, type MxBankInputOptions } from './sandbox-client.js';
export {
  expectMxRequest,
  type ExpectMxRequestOptions, type MxRequestMatch, type PendingRequestLike, type RequestMatcherLike,
} from './http-testing.js';
export { createMemorySink, type MemorySink, type MemorySinkOptions, type MemoryStatement } from '../workflow/memory-sink.js';

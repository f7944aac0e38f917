// The Web Worker that hosts WebLLM's engine, as WebLLM's get-started-web-worker example does.
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
const handler = new WebWorkerMLCEngineHandler();
(globalThis as { onmessage?: (msg: unknown) => void }).onmessage = (msg) => handler.onmessage(msg);

// Which protocol a run uses: a replay's file decides; `fenced` or `tools` when asked for; `auto`
// asks the model whether it takes tools (a server: one tiny request offering run_python; WebLLM:
// whether the model is on its function-calling list) and falls back to fenced when it refuses.
// The choice and its reason go on record: a score is a claim about a model driven one way.
import type { ChatModel } from '../model/types.js';
import type { ProtocolName } from './types.js';

export type ProtocolRequest = ProtocolName | 'auto';

export interface ProtocolChoice {
  protocol: ProtocolName;
  requested: ProtocolRequest;
  /** One sentence: why this protocol. */
  reason: string;
}

/** What a model said when offered tools; never throws (a failure is `accepted: false` with why). */
export interface ToolSupport {
  accepted: boolean;
  reason: string;
}

export async function chooseProtocol(
  model: ChatModel,
  requested: ProtocolRequest,
  signal?: AbortSignal,
): Promise<ProtocolChoice> {
  if (model.protocol) {
    const reason =
      requested === 'auto' || requested === model.protocol
        ? `the scripted model's file is written in the ${model.protocol} protocol`
        : `the scripted model's file is written in the ${model.protocol} protocol (${requested} was asked for)`;
    return { protocol: model.protocol, requested, reason };
  }
  if (requested !== 'auto')
    return { protocol: requested, requested, reason: `${requested} was asked for` };
  if (!model.probeTools) {
    return { protocol: 'fenced', requested, reason: 'this adapter has no tool calling' };
  }
  let support: ToolSupport;
  try {
    support = await model.probeTools(signal);
  } catch (error) {
    support = { accepted: false, reason: `asking about tools failed: ${String(error)}` };
  }
  return { protocol: support.accepted ? 'tools' : 'fenced', requested, reason: support.reason };
}

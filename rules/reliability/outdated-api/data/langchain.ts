// LangChain 0.2 removed the 0.1 chain classes from the core path: LLMChain and initialize_agent are
// deprecated (and gone in 1.0) in favour of LCEL runnables and LangGraph agents.
import type { ApiChange } from './types';

const GUIDE = 'https://python.langchain.com/docs/versions/v0_2/';
const CHAINS = /^langchain(?:\.chains(?:\.llm)?)?$/;

export const langchain: ApiChange[] = [
  { api: 'LLMChain', lang: 'py', library: 'langchain', ecosystem: 'pypi', versions: '>=0.2.0', status: 'deprecated', shape: { kind: 'imported', module: CHAINS, name: 'LLMChain' }, replacement: 'an LCEL pipeline `prompt | llm | StrOutputParser()`', guide: 'https://python.langchain.com/docs/versions/migrating_chains/llm_chain/', fix: { kind: 'lcel-chain' } },
  { api: 'initialize_agent', lang: 'py', library: 'langchain', ecosystem: 'pypi', versions: '>=0.2.0', status: 'deprecated', shape: { kind: 'imported', module: /^langchain\.agents$/, name: 'initialize_agent' }, replacement: "LangGraph's `create_react_agent` or `create_tool_calling_agent` with `AgentExecutor`", guide: GUIDE },
  { api: 'ConversationChain', lang: 'py', library: 'langchain', ecosystem: 'pypi', versions: '>=0.2.7', status: 'deprecated', shape: { kind: 'imported', module: CHAINS, name: 'ConversationChain' }, replacement: '`RunnableWithMessageHistory`', guide: 'https://python.langchain.com/docs/versions/migrating_chains/conversation_chain/' },
  { api: 'LLMChain', lang: 'js', library: 'langchain', ecosystem: 'npm', versions: '>=0.2.0', status: 'deprecated', shape: { kind: 'imported', module: /^langchain\/chains$/, name: 'LLMChain' }, replacement: 'an LCEL pipeline `prompt.pipe(llm)`', guide: 'https://js.langchain.com/docs/versions/v0_2/' },
];

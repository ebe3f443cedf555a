// Package llm owns the optional large-language-model phrasing of knowledge
// base answers: a Provider turns a customer's (masked) question plus the
// articles retrieval found into a grounded answer that cites the article IDs
// it used, in the customer's language and script — or fails, so the caller
// falls back to the retrieval answer.
//
// The provider never decides whether to answer: the knowledge base's
// confidence gate does. A Provider only rephrases what retrieved articles
// say, and every reply is checked before use (see Parse): it must cite at
// least one of the given article IDs and no other, must not be NO_ANSWER,
// and must be in the requested script.
//
// Personal data: Question.Text is the customer's masked text (internal/pii
// placeholders such as [PHONE]); OpenAI.Answer masks it again before it
// leaves the process, so raw customer text never reaches the model. Errors
// and logs carry status codes and reasons, never the question or the reply.
//
// The chat-completions client is hand-rolled over net/http (one POST, a few
// JSON fields) rather than an SDK: it keeps the module graph small, works
// with any OpenAI-compatible server (vLLM, llama.cpp, Ollama, Azure-style
// gateways) and lets the first-reply path control timeouts and retries
// (none) exactly.
package llm

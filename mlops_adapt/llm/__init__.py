"""LLM generation through OpenAI-compatible endpoints: client, prompts, sampling, repair, selection."""

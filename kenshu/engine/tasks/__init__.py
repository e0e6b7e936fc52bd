"""The engine's tasks. Each module has ``run(prompt: Prompt) -> str``: one job, real algorithm.

The router (``kenshu.engine.router``) picks the task from the request's wording.
Tasks never invent facts: they select, restructure or fill from the given text,
and say plainly what they cannot do.
"""

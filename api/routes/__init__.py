"""One router per resource.

Quick questions (one task, one agency, tasks by agency, a profile, a comparison: a millisecond
or two each) are ``async def`` and run on the event loop, one after another. As plain ``def``
they ran in the thread pool: two thread hops per request, and 32 CPU-bound threads taking turns
on the GIL in 5 ms slices, so that at concurrency 32 a one-millisecond answer waited behind many
slices (p99 ten times the p50). Questions that may take long (all agencies, exports, maps, the
overlap matrix) stay ``def``: in a thread, they do not hold up the quick ones.
"""

"""Services: one function per action, called by the views, the API and the jobs.

Each validates first, then writes in one transaction; a refusal raises one of the
ServiceError classes with a translated message, and writes nothing."""

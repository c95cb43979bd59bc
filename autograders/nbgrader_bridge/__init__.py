"""nbgrader integration: the gradebook export and the in-kernel checks."""

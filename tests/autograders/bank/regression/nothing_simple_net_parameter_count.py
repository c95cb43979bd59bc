"""Does nothing: a constant whole number.

A stub with the right types and shapes and no computation earns no points.
expect: simple_net_parameter_count -> zero
"""
simple_net_parameter_count = 0

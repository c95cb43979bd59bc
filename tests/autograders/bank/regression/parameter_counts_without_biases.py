"""
Counts the weights only for SimpleNet, and misses the output bias of LargeNet.

expect: simple_net_parameter_count -> simple_net_parameter_count.weights_only
expect: large_net_parameter_count -> large_net_parameter_count.no_output_bias
"""
simple_net_parameter_count = 1 * 32 + 32 * 1
large_net_parameter_count = 1 * 512 + 512 + 512 * 1

"""PyTorch regression: target_function, make_dataset, make_loaders, the two
networks, count_parameters and the parameter counts the student states."""

"""forward_step with ReLU hard-wired, as in the lecture. apply_net and
train_net call it correctly and are not charged for it.

expect: forward_step -> forward_step.ignores_f_df
"""


def forward_step(y, w, b, f_df=net_f_df_relu):
    return net_f_df_relu(y @ w + b)

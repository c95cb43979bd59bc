"""correct_own_loop_backprop.py disguised: every variable renamed, the comments
moved and reworded, the layout changed (the sample class's judy copies ivan;
the class report must pair them first for backprop).

expect: full marks
"""


def backprop(y_target, y_layers, df_layers, weights):
    """Gradients by the chain rule."""
    # my own implementation
    batch = y_target.shape[ 0 ]
    dWs , dBs = [] , []
    d = ( y_layers[ -1 ] - y_target ) * df_layers[ -1 ] / batch
    l = len( weights ) - 1
    while l >= 0:
        dWs.insert( 0 ,
                    np.dot( y_layers[ l ].T , d ) )   # weight gradient of layer l
        dBs.insert( 0 , np.sum( d , axis = 0 ) )
        if l > 0:
            d = np.dot( d , weights[ l ].T ) * df_layers[ l - 1 ]  # next delta
        l -= 1
    return dWs , dBs

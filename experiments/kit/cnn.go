package kit

// SmallCNN is the small CNN of the experiments that train or time one
// (cnnspeed, and speed's timed steps): two 3x3 conv+pool stages (8 and 16
// channels) and a dense layer, 'act' the activation. It has about a fifth
// of the multiply-adds of the 16/32-channel 5x5 net the model package's
// CNN benchmark times, so that cnnspeed's full configuration fits its
// budget.
const SmallCNN = "conv(8,3x3,p1)-act-pool(2)-conv(16,3x3,p1)-act-pool(2)-dense(10)"

// TinyCNN is SmallCNN with half the channels, for quick configurations.
const TinyCNN = "conv(4,3x3,p1)-act-pool(2)-conv(8,3x3,p1)-act-pool(2)-dense(10)"

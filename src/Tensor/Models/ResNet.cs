using Tensors.NN;

namespace Tensors.Models;

/// <summary>
/// torchvision's ResNet-18 (He et al.), in torchvision's layout and parameter names, so that its state dicts load:
/// <c>conv1</c> (7x7, stride 2), <c>bn1</c>, <c>relu</c>, <c>maxpool</c> (3x3, stride 2), <c>layer1</c> to
/// <c>layer4</c> of two <see cref="BasicBlock"/>s each (the first block of layers 2 to 4 halves the size and has a
/// <c>downsample</c>), <c>avgpool</c> and <c>fc</c>; torchvision's init (kaiming_normal_ fan_out for the
/// convolutions, batch norms at weight 1 and bias 0). <see cref="Body"/> is the part fastai's <c>cnn_learner</c>
/// keeps. The widths default to torchvision's 64-128-256-512; smaller ones give the same network in miniature.
/// </summary>
public sealed class ResNet : Module
{
    /// <summary>torchvision's widths of layer1 to layer4.</summary>
    public static readonly int[] Widths18 = [64, 128, 256, 512];

    /// <summary>Creates a ResNet-18.</summary>
    /// <param name="numClasses">The outputs of <c>fc</c>; default 1000.</param>
    /// <param name="widths">The channels of layer1 to layer4 (the stem has layer1's), default 64, 128, 256, 512.</param>
    /// <param name="inChannels">The input's channels; default 3.</param>
    /// <param name="generator">The random stream for the init (default: <see cref="Generator.Default"/>).</param>
    public static ResNet ResNet18(int numClasses = 1000, int[]? widths = null, int inChannels = 3, Generator? generator = null) =>
        new([2, 2, 2, 2], widths ?? Widths18, numClasses, inChannels, generator);

    /// <summary>Creates a ResNet of <see cref="BasicBlock"/>s.</summary>
    /// <param name="layers">The blocks in each of the four layers (ResNet-18: 2, 2, 2, 2; ResNet-34: 3, 4, 6, 3).</param>
    /// <param name="widths">The channels of the four layers.</param>
    /// <param name="numClasses">The outputs of <c>fc</c>; default 1000.</param>
    /// <param name="inChannels">The input's channels; default 3.</param>
    /// <param name="generator">The random stream for the init (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="layers"/> and <paramref name="widths"/> do not both have
    /// four positive entries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> or <paramref name="inChannels"/> is
    /// not positive.</exception>
    public ResNet(int[] layers, int[] widths, int numClasses = 1000, int inChannels = 3, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(widths);
        if (layers.Length != 4 || widths.Length != 4 || layers.Any(n => n < 1) || widths.Any(w => w < 1))
            throw new ArgumentException(
                $"ResNet: layers [{string.Join(", ", layers)}] and widths [{string.Join(", ", widths)}] must be four positive numbers each (ResNet-18: layers 2, 2, 2, 2, widths 64, 128, 256, 512).");
        if (numClasses < 1 || inChannels < 1)
            throw new ArgumentOutOfRangeException(numClasses < 1 ? nameof(numClasses) : nameof(inChannels),
                $"ResNet: numClasses ({numClasses}) and inChannels ({inChannels}) must be positive.");
        Conv1 = Register("conv1", new Conv2d(inChannels, widths[0], 7, stride: 2, padding: 3, bias: false, generator: generator));
        Bn1 = Register("bn1", new BatchNorm2d(widths[0]));
        Relu = Register("relu", new ReLU());
        MaxPool = Register("maxpool", new MaxPool2d(3, stride: 2, padding: 1));
        int inPlanes = widths[0];
        Sequential Layer(string name, int i)
        {
            var blocks = new Module[layers[i]];
            for (int b = 0; b < blocks.Length; b++)
            {
                blocks[b] = new BasicBlock(inPlanes, widths[i], stride: b == 0 && i > 0 ? 2 : 1, generator);
                inPlanes = widths[i];
            }
            return Register(name, new Sequential(blocks));
        }
        Layer1 = Layer("layer1", 0);
        Layer2 = Layer("layer2", 1);
        Layer3 = Layer("layer3", 2);
        Layer4 = Layer("layer4", 3);
        AvgPool = Register("avgpool", new AdaptiveAvgPool2d(1));
        Fc = Register("fc", new Linear(widths[3], numClasses, generator: generator));
        NumFeatures = widths[3];
        // torchvision: kaiming_normal_(mode="fan_out", nonlinearity="relu") for every convolution; batch norms 1 and 0.
        _features = Body();
        using var _ = Autograd.NoGrad();
        foreach (var m in Modules())
            if (m is Conv2d conv) Init.KaimingNormal_(conv.Weight, mode: "fan_out", nonlinearity: "relu", generator: generator);
            else if (m is BatchNorm2d bn)
            {
                Init.Ones_(bn.Weight!);
                Init.Zeros_(bn.Bias!);
            }
    }

    // The body as one chain for Forward; not registered, since its modules are registered by their own names.
    private readonly Sequential _features;

    /// <summary>The 7x7 stride-2 stem convolution.</summary>
    public Conv2d Conv1 { get; }
    /// <summary>The stem's batch norm.</summary>
    public BatchNorm2d Bn1 { get; }
    /// <summary>The stem's ReLU.</summary>
    public ReLU Relu { get; }
    /// <summary>The stem's 3x3 stride-2 max pool.</summary>
    public MaxPool2d MaxPool { get; }
    /// <summary>The first layer of blocks (full size).</summary>
    public Sequential Layer1 { get; }
    /// <summary>The second layer (half size).</summary>
    public Sequential Layer2 { get; }
    /// <summary>The third layer (a quarter).</summary>
    public Sequential Layer3 { get; }
    /// <summary>The fourth layer (an eighth).</summary>
    public Sequential Layer4 { get; }
    /// <summary>The global average pool.</summary>
    public AdaptiveAvgPool2d AvgPool { get; }
    /// <summary>The classifier.</summary>
    public Linear Fc { get; }
    /// <summary>The channels out of <see cref="Layer4"/> (512 for ResNet-18).</summary>
    public int NumFeatures { get; }

    /// <summary>The network without <c>avgpool</c> and <c>fc</c>, sharing this one's modules (fastai's
    /// <c>create_body(resnet18, cut=-2)</c>): its parameters are named <c>0.weight</c> (conv1), ... <c>4.0.conv1.weight</c>
    /// (layer1.0.conv1), as fastai's are.</summary>
    public Sequential Body() => new(Conv1, Bn1, Relu, MaxPool, Layer1, Layer2, Layer3, Layer4);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var features = _features.Forward(input);
        using var pooled = AvgPool.Call(features);
        using var flat = pooled.Flatten(1);
        return Fc.Call(flat);
    }
}

/// <summary>torchvision's ResNet basic block: conv3x3(stride) - bn - relu - conv3x3 - bn, plus the input (through
/// <c>downsample</c>, a strided 1x1 conv and a batch norm, where the size or width changes), then relu.</summary>
public sealed class BasicBlock : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inPlanes">The input's channels.</param>
    /// <param name="planes">The output's channels.</param>
    /// <param name="stride">The first convolution's stride (2 halves the size); default 1.</param>
    /// <param name="generator">The random stream for the convolutions' default init.</param>
    public BasicBlock(int inPlanes, int planes, int stride = 1, Generator? generator = null)
    {
        Conv1 = Register("conv1", new Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false, generator: generator));
        Bn1 = Register("bn1", new BatchNorm2d(planes));
        Relu = Register("relu", new ReLU());
        Conv2 = Register("conv2", new Conv2d(planes, planes, 3, padding: 1, bias: false, generator: generator));
        Bn2 = Register("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes)
            Downsample = Register("downsample", new Sequential(
                new Conv2d(inPlanes, planes, 1, stride: stride, bias: false, generator: generator), new BatchNorm2d(planes)));
    }

    /// <summary>The first 3x3 convolution.</summary>
    public Conv2d Conv1 { get; }
    /// <summary>The first batch norm.</summary>
    public BatchNorm2d Bn1 { get; }
    /// <summary>The ReLU (used twice, as torchvision's).</summary>
    public ReLU Relu { get; }
    /// <summary>The second 3x3 convolution.</summary>
    public Conv2d Conv2 { get; }
    /// <summary>The second batch norm.</summary>
    public BatchNorm2d Bn2 { get; }
    /// <summary>The shortcut's 1x1 convolution and batch norm, or null when the shortcut is the identity.</summary>
    public Sequential? Downsample { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var outer = Relu.Call(Bn1.Call(Conv1.Call(input)));
        var residual = Bn2.Call(Conv2.Call(outer));
        var sum = residual + (Downsample is { } d ? d.Call(input) : input);
        return scope.MoveToOuter(Relu.Call(sum));
    }
}

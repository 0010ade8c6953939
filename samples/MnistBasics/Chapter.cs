using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Data;
using Tensors.Models;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Samples.MnistBasics.Data;
using Tensors.Training;

namespace Tensors.Samples.MnistBasics;

/// <summary>The parts of fastai's chapter 4, in order, each recording its figures into <see cref="Results"/>. Every
/// tensor and model lives on <paramref name="device"/> (the CPU unless <c>--device cuda</c>).</summary>
public sealed class Chapter(MnistSample data, IAnsiConsole console, string outDir, ulong seed, Device? device = null)
{
    private readonly Device _device = device ?? Device.Cpu;

    /// <summary>The figures the JSON report holds.</summary>
    public JsonObject Results { get; } = new();

    private readonly JsonObject _seconds = new();
    private Tensor? _threes, _sevens, _mean3, _mean7;

    /// <summary>Runs the selected parts (1..7) and times each.</summary>
    public void Run(IEnumerable<int> parts)
    {
        Results["data"] = new JsonObject
        {
            ["train_3s"] = data.Train3.Names.Length, ["train_7s"] = data.Train7.Names.Length,
            ["valid_3s"] = data.Valid3.Names.Length, ["valid_7s"] = data.Valid7.Names.Length,
        };
        var steps = new (int Part, string Name, Action Body)[]
        {
            (1, "look_at_data", LookAtData), (2, "pixel_similarity", PixelSimilarity), (3, "sgd_quadratic", SgdOnAQuadratic),
            (4, "linear_by_hand", LinearByHand), (5, "linear_learner", LinearWithTheLibrary), (6, "simple_net", SimpleNet),
            (7, "resnet18", ResNet18),
        };
        if (parts.Any(p => p is 2 or 6 or 7)) console.WriteLine($"Pictures go to {Path.GetFullPath(outDir)} (--out DIR to change).");
        foreach (var (part, name, body) in steps.Where(s => parts.Contains(s.Part)))
        {
            // At most 80 wide: a redirected console is given a huge width so that lines do not wrap, and a rule fills it.
            var rule = new Rule($"[bold]Part {part}: {name.Replace('_', ' ')}[/]").LeftJustified();
            console.Write(new AtMost(rule, 80));
            Tensor.ManualSeed(seed + (ulong)part);
            var clock = Stopwatch.StartNew();
            body();
            _seconds[name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        }
        Results["seconds"] = _seconds;
    }

    private Tensor Threes => _threes ??= Stacked(data.Train3.Images);
    private Tensor Sevens => _sevens ??= Stacked(data.Train7.Images);

    // stacked = torch.stack(tensors).float() / 255
    private Tensor Stacked(Tensor bytes)
    {
        using var onDevice = bytes.To(_device);
        using var f = onDevice.To(DType.Float32);
        return f / 255;
    }

    private void LookAtData()
    {
        using var im3 = data.Train3.Images[1];
        Pictures.Show(console, im3, $"train/3/{data.Train3.Names[1]}");
        console.WriteLine("tensor(im3)[4:10, 4:10]");
        console.WriteLine(im3[4..10, 4..10].ToString());
    }

    // The distance of each image to a reference: mean absolute difference over the last two dims, broadcast.
    private static Tensor MnistDistance(Tensor a, Tensor b)
    {
        using var d = a - b;
        using var abs = d.Abs();
        return abs.Mean([-1, -2]);
    }

    private void PixelSimilarity()
    {
        _mean3 = Threes.Mean(0);
        _mean7 = Sevens.Mean(0);
        Pictures.Show(console, _mean3, "the ideal 3 (mean of the training 3s)");
        Pictures.Show(console, _mean7, "the ideal 7");
        Picture("mean3.png", path => Pictures.WritePng(_mean3, path));
        Picture("mean7.png", path => Pictures.WritePng(_mean7, path));

        using var a3 = Threes[1];
        double Abs(Tensor m) { using var d = a3 - m; using var a = d.Abs(); return a.Mean().Item<double>(); }
        double Rmse(Tensor m) { using var d = a3 - m; using var s = d * d; using var mean = s.Mean(); return mean.Sqrt().Item<double>(); }
        double d3Abs = Abs(_mean3), d3Sqr = Rmse(_mean3), d7Abs = Abs(_mean7), d7Sqr = Rmse(_mean7);
        console.MarkupLine($"a_3 to the mean 3: L1 [bold]{d3Abs:F4}[/], RMSE [bold]{d3Sqr:F4}[/]");
        console.MarkupLine($"a_3 to the mean 7: L1 [bold]{d7Abs:F4}[/], RMSE [bold]{d7Sqr:F4}[/]");

        using var valid3 = Stacked(data.Valid3.Images);
        using var valid7 = Stacked(data.Valid7.Images);
        using var distances = MnistDistance(valid3, _mean3);
        console.WriteLine($"mnist_distance(valid_3_tens, mean3) has shape [{string.Join(", ", distances.Shape)}]: broadcasting over the whole set");
        double Is3Rate(Tensor x)
        {
            using var to3 = MnistDistance(x, _mean3);
            using var to7 = MnistDistance(x, _mean7);
            using var is3 = to3.Lt(to7);
            using var f = is3.To(DType.Float32);
            return f.Mean().Item<double>();
        }
        double acc3 = Is3Rate(valid3), acc7 = 1 - Is3Rate(valid7), acc = (acc3 + acc7) / 2;
        console.MarkupLine($"accuracy on 3s [bold]{acc3:F4}[/], on 7s [bold]{acc7:F4}[/], mean [bold]{acc:F4}[/]");
        Results["pixel_similarity"] = new JsonObject
        {
            ["accuracy_3s"] = acc3, ["accuracy_7s"] = acc7, ["accuracy"] = acc,
            ["dist_3_abs"] = d3Abs, ["dist_3_sqr"] = d3Sqr, ["dist_7_abs"] = d7Abs, ["dist_7_sqr"] = d7Sqr,
        };
    }

    private void SgdOnAQuadratic()
    {
        // The speed of a roller coaster over 20 seconds, fitted with a*t^2 + b*t + c.
        using var time = Tensor.Arange(0.0, 20.0, device: _device);
        using var noise = Tensor.Randn([20], null, DType.Float32, _device) * 3;
        using var speed = noise + 0.75 * (time - 9.5).Pow(2) + 1;
        var parameters = Tensor.Randn([3], null, DType.Float32, _device).RequiresGrad_();
        const double lr = 1e-5;
        var losses = new List<double>();
        for (int step = 0; step < 10; step++)
        {
            using var scope = Tensor.NewDisposeScope();
            var (a, b, c) = (parameters[0], parameters[1], parameters[2]);
            var preds = a * time.Pow(2) + b * time + c;
            var loss = ((preds - speed) * (preds - speed)).Mean();
            loss.Backward();
            using (Autograd.NoGrad()) parameters.Sub_(parameters.Grad! * lr);
            parameters.Grad = null;
            losses.Add(loss.Item<double>());
            console.WriteLine($"step {step}: loss {losses[^1]:F2}");
        }
        bool falling = losses.Zip(losses.Skip(1)).All(p => p.Second < p.First);
        console.MarkupLine(falling ? "[green]The loss fell at every step.[/]" : "[red]The loss did not fall at every step.[/]");
        Results["sgd_quadratic"] = new JsonObject { ["losses"] = new JsonArray(losses.Select(l => (JsonNode)l).ToArray()), ["falling"] = falling };
    }

    private (TensorDataset Train, TensorDataset Valid) Datasets()
    {
        // train_x = cat([stacked_threes, stacked_sevens]).view(-1, 28*28); train_y = [1]*len(threes) + [0]*len(sevens)
        TensorDataset Make(Tensor threes, Tensor sevens)
        {
            using var both = Tensor.Cat([threes, sevens]);
            var x = both.View(-1, 28 * 28);
            var y = Tensor.Cat([Tensor.Ones([threes.Shape[0], 1], DType.Float32, _device), Tensor.Zeros([sevens.Shape[0], 1], DType.Float32, _device)]);
            return new TensorDataset(x, y);
        }
        using var valid3 = Stacked(data.Valid3.Images);
        using var valid7 = Stacked(data.Valid7.Images);
        return (Make(Threes, Sevens), Make(valid3, valid7));
    }

    private DataLoaders Loaders()
    {
        var (train, valid) = Datasets();
        return new DataLoaders(new DataLoader(train, 256, shuffle: true, seed: seed), new DataLoader(valid, 256));
    }

    /// <summary>fastai's mnist_loss: how far each prediction is from the right answer, after a sigmoid.</summary>
    public static Tensor MnistLoss(Tensor predictions, Tensor targets)
    {
        using var p = predictions.Sigmoid();
        using var wrong = 1 - p;
        using var isThree = targets.Eq(1);
        using var distance = Tensor.Where(isThree, wrong, p);
        return distance.Mean();
    }

    /// <summary>The share of predictions on the right side of 0.5 after a sigmoid.</summary>
    public static Tensor BatchAccuracy(Tensor predictions, Tensor targets)
    {
        using var p = predictions.Sigmoid();
        using var isThree = p.Gt(0.5);
        using var correct = isThree.Eq(targets);
        using var f = correct.To(DType.Float32);
        return f.Mean();
    }

    // validate_epoch: the mean of the batch accuracies, rounded to 4 places.
    private static double ValidateEpoch(Func<Tensor, Tensor> model, DataLoader valid)
    {
        using var _ = Autograd.NoGrad();
        var accs = new List<double>();
        foreach (var (xb, yb) in valid)
            using (Tensor.NewDisposeScope())
            {
                accs.Add(BatchAccuracy(model(xb), yb).Item<double>());
                xb.Dispose(); yb.Dispose();
            }
        return Math.Round(accs.Average(), 4);
    }

    private static void TrainEpoch(Func<Tensor, Tensor> model, DataLoader train, Action step)
    {
        foreach (var (xb, yb) in train)
        {
            using (Tensor.NewDisposeScope())
            {
                var loss = MnistLoss(model(xb), yb);   // calc_grad
                loss.Backward();
                step();
            }
            xb.Dispose(); yb.Dispose();
        }
    }

    private void LinearByHand()
    {
        var dls = Loaders();
        // init_params: randn(size) * std, requiring grad
        var weights = Tensor.Randn([28 * 28, 1], null, DType.Float32, _device).RequiresGrad_();
        var bias = Tensor.Randn([1], null, DType.Float32, _device).RequiresGrad_();
        Tensor Linear1(Tensor xb) { using var xw = xb.MatMul(weights); return xw + bias; }
        const double lr = 1.0;
        double accuracy = 0;
        var history = new List<string>();
        for (int epoch = 0; epoch < 20; epoch++)
        {
            TrainEpoch(Linear1, dls.Train, () =>
            {
                using (Autograd.NoGrad())
                    foreach (var p in new[] { weights, bias })
                    {
                        using var update = p.Grad! * lr;
                        p.Sub_(update);
                        p.Grad!.Dispose();
                        p.Grad = null;
                    }
            });
            accuracy = ValidateEpoch(Linear1, dls.Valid);
            history.Add(accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        }
        console.WriteLine($"validate_epoch after each of 20 epochs: {string.Join(" ", history)}");
        Results["linear_by_hand"] = new JsonObject { ["accuracy"] = accuracy, ["epochs"] = 20 };
    }

    /// <summary>The chapter's BasicOptim: p -= grad * lr; gradients set to null.</summary>
    private sealed class BasicOptim(IEnumerable<Tensor> parameters, double lr)
    {
        private readonly List<Tensor> _params = parameters.ToList();

        public void Step()
        {
            using var _ = Autograd.NoGrad();
            foreach (var p in _params) { using var u = p.Grad! * lr; p.Sub_(u); }
        }

        public void ZeroGrad()
        {
            foreach (var p in _params) { p.Grad?.Dispose(); p.Grad = null; }
        }
    }

    private void LinearWithTheLibrary()
    {
        var dls = Loaders();
        var model = new Linear(28 * 28, 1);
        model.To(_device);
        var basic = new BasicOptim(model.Parameters(), 1.0);
        for (int epoch = 0; epoch < 20; epoch++) TrainEpoch(model.Forward, dls.Train, () => { basic.Step(); basic.ZeroGrad(); });
        console.WriteLine($"nn.Linear + BasicOptim, 20 epochs: {ValidateEpoch(model.Forward, dls.Valid):F4}");

        var model2 = new Linear(28 * 28, 1);
        model2.To(_device);
        var sgd = new SGD(model2.Parameters(), 1.0);
        for (int epoch = 0; epoch < 20; epoch++) TrainEpoch(model2.Forward, dls.Train, () => { sgd.Step(); sgd.ZeroGrad(); });
        console.WriteLine($"nn.Linear + SGD, 20 epochs: {ValidateEpoch(model2.Forward, dls.Valid):F4}");

        var learn = new Learner(dls, new Linear(28 * 28, 1).To(_device), (ps, lr) => new SGD(ps, lr), MnistLoss, new Metric("batch_accuracy", BatchAccuracy))
        {
            Reporter = new ConsoleReporter(console),
        };
        learn.Fit(10, lr: 1.0);
        Results["linear_learner"] = new JsonObject { ["accuracy"] = learn.Recorder.Values[^1][2], ["epochs"] = 10 };
    }

    private Module NewSimpleNet() => new Sequential(new Linear(28 * 28, 30), new ReLU(), new Linear(30, 1)).To(_device);

    private void SimpleNet()
    {
        var dls = Loaders();
        var learn = new Learner(dls, NewSimpleNet(), (ps, lr) => new SGD(ps, lr), MnistLoss, new Metric("batch_accuracy", BatchAccuracy))
        {
            Reporter = new ConsoleReporter(console),
        };
        learn.Fit(40, lr: 0.1);
        var perEpoch = learn.Recorder.Values.Select(v => v[2]).ToList();
        Pictures.Chart(console, perEpoch, "simple_net: batch_accuracy by epoch");
        Picture("simple_net_accuracy.svg", path => learn.Recorder.PlotMetrics(path, "simple_net: validation accuracy by epoch"));
        Picture("simple_net_loss.svg", path => learn.Recorder.PlotLoss(path, title: "simple_net: loss (training smoothed, validation per epoch)"));
        Results["simple_net"] = new JsonObject
        {
            ["accuracy"] = perEpoch[^1], ["epochs"] = 40,
            ["accuracy_per_epoch"] = new JsonArray(perEpoch.Select(a => (JsonNode)a).ToArray()),
            ["lr_find"] = LrFind(),
        };
    }

    // Chapter 5's learning-rate finder (fastai's learn.lr_find()) on a fresh simple_net, with loaders and a model of
    // its own after the fit above, so that the chapter's figures are the same with or without it.
    private JsonObject LrFind()
    {
        var learn = new Learner(Loaders(), NewSimpleNet(), (ps, lr) => new SGD(ps, lr), MnistLoss) { Reporter = new ConsoleReporter(console), Verbose = false };
        var found = learn.LrFind();
        var result = new JsonObject { ["batches"] = found.LearningRates.Count, ["diverged"] = found.Diverged };
        if (found.HasSuggestions)
        {
            result["valley"] = found.Valley;
            result["minimum"] = found.Minimum;
            result["steep"] = found.Steep;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lr_find, fresh simple_net: valley {found.Valley:G3}, minimum/10 {found.Minimum:G3}, steep {found.Steep:G3}"));
        }
        else console.WriteLine($"lr_find on a fresh simple_net stopped after {found.LearningRates.Count} batches: too few for a suggestion.");
        Picture("simple_net_lr_find.svg", path => found.Plot(path, skipEnd: Math.Min(5, found.LearningRates.Count - 1), title: "simple_net: learning rate finder"));
        learn.Model.Dispose();
        return result;
    }

    // Writes one picture into the --out folder and says where, so that a reader knows where to look.
    private void Picture(string name, Action<string> write)
    {
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, name);
        write(path);
        console.WriteLine($"Wrote {path}");
    }

    // The chapter's last cell: learn = cnn_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
    // metrics=accuracy); learn.fit_one_cycle(1, 0.1), on fastai's image loaders (3-channel images, batch size 64).
    private void ResNet18()
    {
        var dls = ImageFolder.Loaders(data, seed, _device);
        var resnet = ResNet.ResNet18();
        resnet.To(_device);
        var learn = Learner.CnnLearner(dls, resnet.Body(), resnet.NumFeatures, 2, Functional.CrossEntropy, metrics: Metric.Accuracy);
        learn.Reporter = new ConsoleReporter(console);
        var clock = Stopwatch.StartNew();
        learn.FitOneCycle(1, 0.1);
        double seconds = clock.Elapsed.TotalSeconds;
        Picture("resnet18_loss.svg", path => learn.Recorder.PlotLoss(path, skipStart: Math.Min(5, learn.Recorder.Losses.Count - 1), title: "resnet18: loss"));
        Results["resnet18"] = new JsonObject
        {
            ["accuracy"] = learn.Recorder.Values[^1][2], ["epochs"] = 1, ["seconds"] = Math.Round(seconds, 3),
            ["train_loss"] = learn.Recorder.Values[^1][0], ["valid_loss"] = learn.Recorder.Values[^1][1],
            ["losses"] = new JsonArray(learn.Recorder.Losses.Select(l => (JsonNode)l).ToArray()),
        };
        learn.Model.Dispose();
        resnet.Dispose();   // its fc, which the body leaves out
        foreach (var dl in new[] { dls.Train, dls.Valid }) ((ImageFolder)dl.Dataset).Dispose();
    }

    // Renders its content at most this wide.
    private sealed class AtMost(Spectre.Console.Rendering.IRenderable content, int width) : Spectre.Console.Rendering.IRenderable
    {
        public Spectre.Console.Rendering.Measurement Measure(Spectre.Console.Rendering.RenderOptions options, int maxWidth) =>
            content.Measure(options, Math.Min(width, maxWidth));

        public IEnumerable<Spectre.Console.Rendering.Segment> Render(Spectre.Console.Rendering.RenderOptions options, int maxWidth) =>
            content.Render(options, Math.Min(width, maxWidth));
    }
}

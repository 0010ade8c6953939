namespace Tensors.NN;

/// <summary>
/// A piece of a model with parameters (PyTorch's <c>nn.Module</c>). Subclasses create parameters with
/// <see cref="Parameter"/> and sub-modules with <see cref="Register{T}"/> in their constructor, and implement
/// <see cref="Forward"/>. Parameters are found recursively, with dotted names like <c>0.weight</c>.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = new();
    private readonly List<(string Name, Module Module)> _children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers <paramref name="init"/> as a trainable parameter (PyTorch's <c>nn.Parameter</c>): a leaf
    /// that requires grad, owned by this module rather than by any dispose scope.</summary>
    protected Tensor Parameter(string name, Tensor init)
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: a parameter or module named '{name}' already exists.");
        var p = init.IsLeaf ? init : init.Detach();
        p.RequiresGrad = true;
        p.DetachFromDisposeScope();
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers a sub-module whose parameters become part of this module's.</summary>
    protected T Register<T>(string name, T module) where T : Module
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: a parameter or module named '{name}' already exists.");
        _children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter, this module's first, then each sub-module's in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Every parameter with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var (name, child) in _children)
            foreach (var (n, t) in child.NamedParameters())
                yield return ($"{name}.{n}", t);
    }

    /// <summary>The direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>Moves every parameter (and its gradient) to <paramref name="device"/> in place, as PyTorch's
    /// <c>module.to(device)</c> does: the parameter objects stay the same, so fields and optimizers made before
    /// keep working. Returns this module.</summary>
    /// <param name="device">Where the parameters should live, e.g. <c>Device.Cuda()</c>.</param>
    public Module To(Device device)
    {
        using var _ = Autograd.NoGrad();
        foreach (var (_, p) in NamedParameters())
        {
            if (p.Device == device) continue;
            using (var moved = p.To(device)) p.SetData(moved);
            if (p.Grad is { } g)
            {
                p.Grad = g.To(device).DetachFromDisposeScope();
                g.Dispose();
            }
        }
        return this;
    }

    /// <summary>The device of the first parameter (the CPU for a module without parameters).</summary>
    public Device Device => Parameters().Select(p => p.Device).DefaultIfEmpty(Device.Cpu).First();

    /// <summary>Switches this module and its sub-modules to training mode (or evaluation mode with false).</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Switches to evaluation mode.</summary>
    public Module Eval() => Train(false);

    /// <summary>Sets every parameter's gradient to null (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>Writes the parameters to a safetensors file (readable by PyTorch and Hugging Face tools).</summary>
    public void Save(string path) => Safetensors.Save(path, NamedParameters());

    /// <summary>
    /// Reads parameters saved by <see cref="Save"/> (or by PyTorch's safetensors). The whole file is read and
    /// checked against this module's names, shapes and dtypes before any parameter changes, so a bad file never
    /// leaves a half-loaded model.
    /// </summary>
    public void Load(string path)
    {
        var loaded = Safetensors.Load(path);
        try
        {
            var mine = NamedParameters().ToList();
            var missing = mine.Select(p => p.Name).Except(loaded.Keys).ToList();
            var unexpected = loaded.Keys.Except(mine.Select(p => p.Name)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException(
                    $"Load: '{path}' does not match {GetType().Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
            foreach (var (name, p) in mine)
            {
                var t = loaded[name];
                if (!t.Layout.Shape.SequenceEqual(p.Layout.Shape) || t.DType != p.DType)
                    throw new InvalidDataException(
                        $"Load: '{path}' has {name} as {Layout.Format(t.Layout.Shape)} {t.DType.Name()}, but the module's is {Layout.Format(p.Layout.Shape)} {p.DType.Name()}.");
            }
            using (Autograd.NoGrad())
                foreach (var (name, p) in mine)
                {
                    using var onDevice = loaded[name].To(p.Device);
                    p.CopyFrom_(onDevice);
                }
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    /// <summary>Disposes the parameters and sub-modules.</summary>
    public virtual void Dispose()
    {
        foreach (var (_, p) in _parameters) { p.Grad?.Dispose(); p.Dispose(); }
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}

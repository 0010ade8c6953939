namespace Tensors.NN;

/// <summary>
/// A piece of a model with parameters (PyTorch's <c>nn.Module</c>). Subclasses create parameters with
/// <see cref="Parameter"/>, buffers with <see cref="RegisterBuffer"/> and sub-modules with <see cref="Register{T}"/>
/// in their constructor, and implement <see cref="Forward"/>. Parameters, buffers and modules are found
/// recursively, with dotted names like <c>0.weight</c>.
/// </summary>
public abstract partial class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = new();
    private readonly List<(string Name, Tensor Tensor, bool Persistent)> _buffers = new();
    private readonly List<(string Name, Module Module)> _children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    /// <param name="input">The input batch, shaped as the module expects (PyTorch's <c>input</c>).</param>
    /// <returns>The module's output.</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Runs <see cref="Forward"/>, as PyTorch's <c>module(x)</c> does: containers call their modules this
    /// way, and <see cref="Summary"/> sees the output shape of every module called through it.</summary>
    /// <param name="input">The module's input.</param>
    public Tensor Call(Tensor input)
    {
        var output = Forward(input);
        SummaryRecorder.Current?.Record(this, output);
        return output;
    }

    // PyTorch's rule for attribute names: unique among parameters, buffers and modules, not empty, no dot.
    private void CheckNewName(string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: a {kind} name must be non-empty and contain no '.', got '{name}'.", nameof(name));
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: a parameter, buffer or module named '{name}' already exists.", nameof(name));
    }

    /// <summary>Registers <paramref name="init"/> as a trainable parameter (PyTorch's <c>nn.Parameter</c>): a leaf
    /// that requires grad, owned by this module rather than by any dispose scope.</summary>
    /// <param name="name">The name in <see cref="StateDict"/> and <see cref="NamedParameters"/>: non-empty, without
    /// '.', unique among this module's parameters, buffers and modules.</param>
    /// <param name="init">The initial value; a tensor in a graph is detached first. The module owns it from now
    /// on.</param>
    /// <returns>The parameter, a leaf that requires grad.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is taken.</exception>
    protected Tensor Parameter(string name, Tensor init)
    {
        CheckNewName("parameter", name);
        var p = init.IsLeaf ? init : init.Detach();
        p.RequiresGrad = true;
        p.DetachFromDisposeScope();
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>
    /// Registers <paramref name="tensor"/> as a buffer (PyTorch's <c>register_buffer</c>): state that is not trained
    /// (running statistics, masks, class weights). A buffer is moved by <see cref="To(Device)"/>, converted by
    /// <see cref="To(DType)"/> when floating, saved in <see cref="StateDict"/> when persistent, and not returned by
    /// <see cref="Parameters"/>. The module owns it from now on (it leaves any dispose scope). Returns the buffer.
    /// </summary>
    /// <param name="name">The buffer's name, unique among this module's parameters, buffers and modules.</param>
    /// <param name="tensor">The buffer's value; a tensor in a graph is detached first.</param>
    /// <param name="persistent">False keeps the buffer out of <see cref="StateDict"/>; default <c>true</c>.</param>
    public Tensor RegisterBuffer(string name, Tensor tensor, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckNewName("buffer", name);
        var b = tensor.IsLeaf && !tensor.RequiresGrad ? tensor : tensor.Detach();
        b.DetachFromDisposeScope();
        _buffers.Add((name, b, persistent));
        return b;
    }

    /// <summary>Registers a sub-module whose parameters become part of this module's.</summary>
    /// <param name="name">The sub-module's name, the prefix of its entries in <see cref="StateDict"/> (e.g.
    /// <c>name.weight</c>): non-empty, without '.', unique among this module's parameters, buffers and modules.</param>
    /// <param name="module">The sub-module.</param>
    /// <returns><paramref name="module"/>, for assigning to a field.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is taken.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
    protected T Register<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName("module", name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter, this module's first, then each sub-module's in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Every parameter with its dotted name (PyTorch's <c>named_parameters</c>); a parameter shared by
    /// two modules is listed once, under its first name.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() =>
        Distinct(NamedModules().SelectMany(m => m.Module._parameters.Select(p => (Join(m.Name, p.Name), p.Tensor))));

    /// <summary>Every buffer with its dotted name (PyTorch's <c>named_buffers</c>), persistent or not.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers() =>
        Distinct(NamedModules().SelectMany(m => m.Module._buffers.Select(b => (Join(m.Name, b.Name), b.Tensor))));

    /// <summary>Every buffer (PyTorch's <c>buffers</c>).</summary>
    public IEnumerable<Tensor> Buffers() => NamedBuffers().Select(b => b.Tensor);

    /// <summary>The direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>The direct sub-modules (PyTorch's <c>children</c>).</summary>
    public IEnumerable<Module> Children() => _children.Select(c => c.Module);

    /// <summary>This module (named "") and every sub-module below it, depth first, with dotted names (PyTorch's
    /// <c>named_modules</c>); a module reachable twice is listed once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            var (name, m) = stack.Pop();
            if (!seen.Add(m)) continue;
            yield return (name, m);
            for (int i = m._children.Count - 1; i >= 0; i--)
                stack.Push((Join(name, m._children[i].Name), m._children[i].Module));
        }
    }

    /// <summary>This module and every sub-module (PyTorch's <c>modules</c>).</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static IEnumerable<(string Name, Tensor Tensor)> Distinct(IEnumerable<(string Name, Tensor Tensor)> named)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        return named.Where(n => seen.Add(n.Tensor));
    }

    /// <summary>Calls <paramref name="fn"/> on every sub-module and then on this one (PyTorch's <c>apply</c>, e.g.
    /// to initialise weights). Returns this module.</summary>
    /// <param name="fn">What to do with each module.</param>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var (_, child) in _children) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>Moves every parameter (and its gradient) and every buffer to <paramref name="device"/> in place, as
    /// PyTorch's <c>module.to(device)</c> does: the tensor objects stay the same, so fields and optimizers made
    /// before keep working. Returns this module.</summary>
    /// <param name="device">Where the parameters should live, e.g. <c>Device.Cuda()</c>.</param>
    public Module To(Device device) => Convert(t => t.Device == device ? null : t.To(device));

    /// <summary>Converts every floating parameter (and its gradient) and floating buffer to <paramref name="dtype"/>
    /// in place, as PyTorch's <c>module.to(dtype)</c>: integer and bool buffers keep their dtype. Returns this
    /// module.</summary>
    /// <param name="dtype">A floating dtype, e.g. <c>DType.Float64</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not floating point.</exception>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"To: a module converts only to a floating dtype, got {dtype.Name()} (as PyTorch's module.to(dtype)).", nameof(dtype));
        return Convert(t => t.DType == dtype || !t.DType.IsFloatingPoint() ? null : t.To(dtype));
    }

    /// <summary>Converts every floating parameter and buffer to float64 (PyTorch's <c>double()</c>).</summary>
    public Module Double() => To(DType.Float64);

    /// <summary>Converts every floating parameter and buffer to float32 (PyTorch's <c>float()</c>).</summary>
    public Module Float() => To(DType.Float32);

    // Points each parameter, gradient and buffer at its converted data (null: unchanged), keeping the objects.
    private Module Convert(Func<Tensor, Tensor?> convert)
    {
        using var _ = Autograd.NoGrad();
        foreach (var t in Parameters().Concat(Buffers()))
        {
            if (convert(t) is { } moved)
                using (moved) t.SetData(moved);
            if (t.Grad is { } g && convert(g) is { } movedGrad)
            {
                t.Grad = movedGrad.DetachFromDisposeScope();
                g.Dispose();
            }
        }
        return this;
    }

    /// <summary>The device of the first parameter, or buffer (the CPU for a module with neither).</summary>
    public Device Device => Parameters().Concat(Buffers()).Select(p => p.Device).DefaultIfEmpty(Device.Cpu).First();

    /// <summary>Switches this module and its sub-modules to training mode (or evaluation mode with false).</summary>
    /// <param name="training">True for training mode (dropout active, batch norm updating its running statistics),
    /// false for evaluation mode, as <see cref="Eval"/>; default <c>true</c>.</param>
    /// <returns>This module, for chaining.</returns>
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

    /// <summary>Disposes the parameters, buffers and sub-modules.</summary>
    public virtual void Dispose()
    {
        foreach (var (_, p) in _parameters) { p.Grad?.Dispose(); p.Dispose(); }
        foreach (var (_, b, _) in _buffers) b.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using Tensors.Fusion;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

/// <summary>An expression's value over one tile: a span of a leaf, scratch or destination array, or, where every
/// input of it is a broadcast scalar, one value standing for the whole tile.</summary>
internal struct TileValue<T> where T : unmanaged
{
    public T[]? Array;
    public int Offset;
    public T Scalar;

    public readonly bool IsScalar => Array is null;

    public readonly ReadOnlySpan<T> Span(int n) => Array.AsSpan(Offset, n);

    public readonly Span<T> Target(int n) => Array.AsSpan(Offset, n);

    public static TileValue<T> Of(T scalar) => new() { Scalar = scalar };
}

/// <summary>One step of an expression with its function struct chosen once per evaluation: the same span and scalar
/// forms the one-op kernels run (<see cref="UnaryKernel{T, TFn}"/>, <see cref="BinaryKernel{T, TFn}"/>), applied to a
/// tile. <c>d</c> arrives pointing at the step's own region and turns scalar when every operand is.</summary>
internal abstract class TileStep<T> where T : unmanaged
{
    public abstract void Apply(in TileValue<T> a, in TileValue<T> b, ref TileValue<T> d, int n);

    /// <summary>The steps of <paramref name="steps"/> for element type T.</summary>
    public static TileStep<T>[] Compile(ExpressionStep[] steps, DType dtype)
    {
        var compiled = new TileStep<T>[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var made = new StepMaker(new());
            if (steps[i].IsBinary) BinaryDispatch.Run(steps[i].Binary, dtype, made);
            else UnaryDispatch.Run(steps[i].Unary, dtype, made);
            compiled[i] = (TileStep<T>)made.Step.Value!;
        }
        return compiled;
    }

    private readonly struct StepMaker(System.Runtime.CompilerServices.StrongBox<object> step) : IUnaryRunner, IBinaryRunner
    {
        public System.Runtime.CompilerServices.StrongBox<object> Step => step;
        void IUnaryRunner.Run<TE, TFn>() => step.Value = new UnaryTileStep<TE, TFn>();
        void IBinaryRunner.Run<TE, TFn>() => step.Value = new BinaryTileStep<TE, TFn>();
    }
}

internal sealed class UnaryTileStep<T, TFn> : TileStep<T> where T : unmanaged, INumber<T> where TFn : struct, IUnaryFn<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(in TileValue<T> a, in TileValue<T> b, ref TileValue<T> d, int n)
    {
        if (a.IsScalar) d = TileValue<T>.Of(TFn.Apply(a.Scalar));
        else TFn.Apply(a.Span(n), d.Target(n));
    }
}

internal sealed class BinaryTileStep<T, TFn> : TileStep<T> where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(in TileValue<T> a, in TileValue<T> b, ref TileValue<T> d, int n)
    {
        if (a.IsScalar && b.IsScalar) d = TileValue<T>.Of(TFn.Apply(a.Scalar, b.Scalar));
        else if (b.IsScalar) TFn.Apply(a.Span(n), b.Scalar, d.Target(n));
        else if (a.IsScalar) TFn.Apply(a.Scalar, b.Span(n), d.Target(n));
        else TFn.Apply(a.Span(n), b.Span(n), d.Target(n));
    }
}

// The README's example, runnable: views, broadcasting, reductions and a matrix product.
using Tensors;

using var x = Tensor.Arange(0.0, 6.0).View(2, 3);        // [[0, 1, 2], [3, 4, 5]]
using var col = x[.., 1];                                  // a view: [1, 4]
using var centered = x - x.Mean(0, keepDim: true);         // broadcasting (2,3) - (1,3)
using var w = Tensor.Randn([3, 2], new Generator(42));
using var y = centered.MatMul(w).Relu();
using var best = y.ArgMax(dim: 1);
Console.WriteLine(x);
Console.WriteLine(col);
Console.WriteLine(centered);
Console.WriteLine(y);
Console.WriteLine(best);
Console.WriteLine($"sum of squares: {x.Pow(2).Sum().Item<float>()}");

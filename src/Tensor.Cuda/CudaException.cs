using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>A CUDA call failed: the message names the call and gives CUDA's own name and description of the error.</summary>
public class CudaException : Exception
{
    internal CudaException(string call, CuResult result, string description)
        : base($"{call} failed: {description}") => (Call, ResultCode) = (call, (int)result);

    internal CudaException(string call, string description) : base($"{call} failed: {description}") => Call = call;

    /// <summary>Creates an exception with a message of its own.</summary>
    /// <param name="message">What went wrong.</param>
    public CudaException(string message) : base(message) => Call = "";

    /// <summary>The CUDA call that failed.</summary>
    public string Call { get; }

    /// <summary>The driver's <c>CUresult</c> code, when the failure came from the driver.</summary>
    public int? ResultCode { get; }
}
